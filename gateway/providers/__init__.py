"""Providers: the family table and the assembly of configured providers."""

from collections.abc import Mapping
from types import MappingProxyType

from config import Config
from gateway.providers.anthropic_family import AnthropicFamily
from gateway.providers.cohere_family import CohereFamily
from gateway.providers.family import Family
from gateway.providers.gemini_family import GeminiFamily
from gateway.providers.generic_family import GenericFamily
from gateway.providers.openai_family import OpenAIFamily
from gateway.providers.provider import Provider
from gateway.providers.usage import Usage

FAMILIES: Mapping[str, Family] = MappingProxyType(
    {
        "openai": OpenAIFamily(),
        "azure-openai": OpenAIFamily(),
        "anthropic": AnthropicFamily(),
        "gemini": GeminiFamily(),
        "cohere": CohereFamily(),
        "generic": GenericFamily(),
    }
)


def build_providers(config: Config) -> Mapping[str, Provider]:
    return MappingProxyType(
        {name: Provider(name, provider, FAMILIES[provider.family]) for name, provider in config.providers.items()}
    )


__all__ = ["FAMILIES", "Family", "Provider", "Usage", "build_providers"]
