"""Positives for personal and financial data: the prompts people really paste into an assistant.

Support emails with a customer's card, HR notes with an SSN and a date of birth, wire instructions
with IBAN, BIC and amount, direct-deposit forms, CRM rows, travel bookings, server logs. The
labels come from the slots (see ``dlp_corpus_slots``): a template only names what it holds.
"""

from __future__ import annotations

from bench.dlp_corpus_base import Draft, Gen
from bench.dlp_corpus_slots import fill_localized, fill_many

_CARD = {
    "en_US": (
        "Subject: Refund not received\n\nHello support,\n\nI was charged twice for order {{order_id}}. The card I "
        "used is {{card}}, expiring 08/28. Could you reverse the duplicate charge?\n\nThanks",
        "hey can you update my billing info? new card {{card}} exp 11/27 cvv 482",
        "Please summarise this ticket for the payments team:\n---\nCustomer wrote: the payment for {{product}} keeps "
        "failing with 'do_not_honor'. I've tried my card {{card}} three times now.\n---",
        "2024-05-02T11:32:09Z ERROR payment.gateway declined card_number={{card}} reason=insufficient_funds",
        'Why does the processor reject this request?\n{"customer_id": "{{uuid}}", "pan": "{{card}}", '
        '"exp_month": 9, "exp_year": 2027, "status": "declined"}',
        "Write a polite reply to {{name}} who says their card {{card}} was charged twice for {{product}}.",
        "A customer disputes a charge of {{amount}} on card {{card}}. Draft a response explaining the chargeback "
        "process.",
        "Can you check whether this card number is valid? {{card}}",
        "card_holder,card_number,exp\n{{name}},{{card}},06/27\nReformat this row as JSON.",
    ),
    "en_GB": (
        "Hiya, my debit card {{card}} got declined at checkout on {{product}}. Expiry 02/29. What's going on?",
        "Customer on the phone read out their card number as {{card}} - please log it against ticket {{ticket}}.",
    ),
    "de_DE": (
        "Hallo, bitte buchen Sie die Jahresgebühr von meiner Kreditkarte {{card}} ab. Gültig bis 04/29.",
        "Kunde meldet doppelte Abbuchung. Kartennummer: {{card}}. Bitte prüfen.",
    ),
    "fr_FR": ("Bonjour, pouvez-vous mettre à jour ma carte bancaire ? Numéro : {{card}}, expiration 03/27.",),
    "es_ES": ("Hola, el cobro con mi tarjeta {{card}} fue rechazado dos veces. ¿Pueden revisarlo?",),
    "it_IT": ("Buongiorno, il pagamento con la carta {{card}} non va a buon fine. Scadenza 10/27.",),
    "pt_BR": ("Olá, meu cartão de crédito {{card}} foi recusado na compra do pedido {{order_id}}.",),
}

_SSN = {
    "en_US": (
        "HR note - onboarding {{name}}\nSSN: {{ssn}}\nDOB: {{dob}}\nStart date: next Monday\n"
        "Please set up payroll and benefits.",
        "Fill in the W-4 for me. My SSN is {{ssn}} and I'm married filing jointly.",
        "Employee record\nName: {{name}}\nSocial Security Number: {{ssn}}\nHome address: {{address}}\n"
        "Phone: {{phone}}\nConvert this to a YAML block.",
        "Why does the background check vendor reject SSN {{ssn}} for candidate {{name}}? It was typed from the I-9.",
        "INSERT INTO employees (ssn, date_of_birth) VALUES ('{{ssn}}', '{{dob}}');  -- why does this fail?",
        "Summarise for the referral letter: patient {{name}}, DOB {{dob}}, SSN {{ssn}}, presented with lower back "
        "pain for six weeks.",
        "my ssn is {{ssn}} can you tell me if it was in a data breach?",
        "| Name | SSN | Date of birth |\n|---|---|---|\n| {{name}} | {{ssn}} | {{dob}} |\nSort this table by name.",
        "Tax preparer intake: taxpayer SSN {{ssn_plain}}, filing status single, two dependents.",
        "The benefits portal rejects social security no. {{ssn_plain}} with 'invalid format'. How should I enter it?",
    ),
}

_WIRE = {
    "en_US": (
        "Please wire {{amount}} to our supplier {{company}}.\nIBAN: {{iban}}\nBIC/SWIFT: {{bic}}\n"
        "Reference: invoice {{order_id}}",
        "Change of bank details: our new IBAN is {{iban}}. Please update your records before paying the next invoice.",
        "Is this IBAN valid? {{iban}}",
        'Build the payment file entry:\n{"beneficiary_iban": "{{iban}}", "bic": "{{bic}}", "amount": "{{amount}}"}',
    ),
    "en_GB": (
        "Hi {{name}}, as discussed the deposit of {{amount}} should go to IBAN {{iban}} (SWIFT {{bic}}).",
        "Urgent: CFO asks to transfer {{amount}} today. Account holder {{company}}, IBAN {{iban}}, BIC {{bic}}.",
    ),
    "de_DE": (
        "Bitte überweisen Sie {{amount}} auf folgendes Konto:\nKontoinhaber: {{name}}\nIBAN: {{iban}}\nBIC: {{bic}}\n"
        "Verwendungszweck: Rechnung {{order_id}}",
        "Meine neue Bankverbindung lautet IBAN {{iban}}. Bitte die Miete ab nächstem Monat dorthin.",
    ),
    "fr_FR": (
        "Merci d'effectuer le virement de {{amount}} sur le compte suivant : IBAN {{iban}}, BIC {{bic}}. "
        "Bénéficiaire : {{name}}.",
        "Voici mon RIB pour le remboursement : IBAN {{iban}}",
    ),
    "es_ES": ("Por favor, transfiera {{amount}} a la cuenta IBAN {{iban}} (SWIFT {{bic}}) a nombre de {{company}}.",),
    "it_IT": (
        "Vi preghiamo di effettuare il bonifico di {{amount}} sul conto IBAN {{iban}}, BIC {{bic}}, intestato a "
        "{{name}}.",
    ),
    "pt_BR": ("Segue os dados para a transferência de {{amount}}: IBAN {{iban}}, SWIFT {{bic}}, titular {{name}}.",),
}

_PAYROLL = (
    "Direct deposit form\nEmployee: {{name}}\nBank routing number (ABA): {{routing}}\nAccount number: {{account}}\n"
    "Account type: checking",
    "Set up the ACH transfer: routing {{routing}}, account {{account}}, {{amount}} on the 1st of every month.",
    "My routing number is {{routing}} and my account number is {{account}}. Why did the transfer bounce?",
    "Vendor banking details for {{company}}: ABA {{routing}}, acct #{{account}}. Add them to the AP sheet.",
)
_ITIN = (
    "Client {{name}} doesn't have an SSN; their ITIN is {{itin}}. Which forms do they need for the 1040?",
    "ITIN: {{itin}} - the renewal letter says it expires this year, what do I do?",
    "Taxpayer identification: ITIN {{itin}}, spouse {{name}}. Draft the cover letter to the IRS.",
)
_CONTACT = {
    "en_US": (
        "Please add this lead to the CRM: {{name}}, {{email}}, {{phone}}, works at {{company}}.",
        "Best regards,\n{{name}}\n{{company}}\nTel: {{phone}}\n{{email}}\n\nTurn this signature into a vCard.",
        "Write a follow-up email to {{email}} about the delayed shipment {{order_id}}.",
        "Call the customer back at {{phone}} about ticket {{ticket}}.",
        "Ship the replacement unit to {{address}}.",
        "New tenant: {{name}}, moving in at {{address}}, contact {{phone}}.",
    ),
    "en_GB": ("Could you post the contract to {{name}}, {{address}}? Mobile is {{phone}}.",),
    "de_DE": ("Neuer Kunde: {{name}}, {{address}}, Telefon {{phone}}, E-Mail {{email}}.",),
    "fr_FR": ("Merci de contacter {{name}} au {{phone}} ou par e-mail à {{email}}.",),
    "es_ES": ("Envíe la factura a {{name}}, {{address}}. Teléfono: {{phone}}.",),
    "it_IT": ("Il cliente {{name}} chiede di essere richiamato al {{phone}}.",),
    "pt_BR": ("Cadastro do cliente: {{name}}, e-mail {{email}}, telefone {{phone}}.",),
}
_TRAVEL = {
    "en_US": (
        "Book the flight for {{name}}, passport {{passport}}, date of birth {{dob}}.",
        "Visa application - passport number: {{passport}}. Can you check the form is complete?",
    ),
    "en_GB": ("Hotel check-in details: guest {{name}}, passport no. {{passport}}, born {{dob}}.",),
    "de_DE": ("Reisepassnummer {{passport}}, Geburtsdatum {{dob}}, Name {{name}} - bitte ins Formular übertragen.",),
    "fr_FR": ("Numéro de passeport : {{passport}}, né le {{dob}}. Pouvez-vous remplir la demande ?",),
    "es_ES": ("Pasaporte {{passport}}, fecha de nacimiento {{dob}}. Necesito el formulario de embarque.",),
    "it_IT": ("Passaporto n. {{passport}} di {{name}}, nato il {{dob}}.",),
}
_LICENCE = (
    "Rental agreement: driver {{name}}, driver's license {{dl_state}}, DOB {{dob}}.",
    "My DL# is {{dl}} - can you help me fill in the DMV change-of-address form?",
    "Insurance claim: other driver's licence number {{dl_state}}.",
    "Verify the applicant's driver license number {{dl}} against the scan.",
)
_NETWORK = (
    "Our firewall keeps blocking {{ip}} - the customer says it's their office IP. How do I allow it in nginx?",
    '{{ip}} - - [12/Mar/2024:10:15:32 +0000] "GET /api/v1/orders HTTP/1.1" 500 1432\nWhy the 500?',
    "Login alert: user {{email}} signed in from {{ip}} at an unusual hour. Write the incident summary.",
    "Add {{ip}} to the allow-list of the {{host}} security group.",
)
_EXPORT = (
    "Clean up this export and remove duplicates:\nname,email,phone\n{{name}},{{email}},{{phone}}\n"
    "{{name2}},{{email2}},{{phone2}}",
    "Merge these two contacts:\n1) {{name}} <{{email}}>\n2) {{name2}} <{{email2}}>",
)


def cases(g: Gen) -> list[Draft]:
    """About 1,100 positives for the pii and financial topics."""
    return [
        *fill_localized(g, _CARD, 176, "card_paste"),
        *fill_localized(g, _SSN, 176, "hr_ssn"),
        *fill_localized(g, _WIRE, 176, "wire_iban"),
        *fill_many(g, _PAYROLL, 84, "bank_routing"),
        *fill_many(g, _ITIN, 66, "tax_itin"),
        *fill_localized(g, _CONTACT, 120, "contact"),
        *fill_localized(g, _TRAVEL, 84, "travel_passport"),
        *fill_many(g, _LICENCE, 76, "drivers_license"),
        *fill_many(g, _NETWORK, 80, "network_ip"),
        *fill_many(g, _EXPORT, 50, "crm_export"),
    ]
