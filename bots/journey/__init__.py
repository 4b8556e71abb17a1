"""The guest journey both messengers share: each step reads the conversation state and the
guest's input and returns what to show (bots/journey/screens.py) and the next state.

Telegram (bots/telegram/handlers/journey.py) and WhatsApp (bots/whatsapp/conversation.py)
are adapters: they turn these outputs into their own messages and their own messages into
`Said`. Nothing about a step — its order, back-navigation, validation, quotes, the hold —
is decided in an adapter.
"""
