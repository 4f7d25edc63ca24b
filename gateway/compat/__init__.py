"""The unified endpoint: one OpenAI- or Anthropic-format API in front of every provider."""
