"""Web stage: the OpenAI-compatible API, the guards in front of it, what the chat page shows, and feedback."""
