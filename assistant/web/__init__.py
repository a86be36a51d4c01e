"""Web stage: the chat page (Gradio), the OpenAI-compatible API, the guards in front of both, and feedback."""
