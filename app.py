"""Web chat (Gradio) and the OpenAI-compatible API, served by one process: ``make run``.

The page is ``assistant/web/ui.py``; the server and its guards ``assistant/web/server.py``.
"""

import sys

from assistant.web.server import main

if __name__ == "__main__":
    sys.exit(main())
