"""Messenger channels of the assistant besides the web widget.

- `channels.telegram`: Rasa's Telegram connector with a configurable Bot API URL
  (runs inside the Rasa server, `.venv`).
- `channels.matrix_bridge`: a separate process that connects a Matrix bot user to Rasa's
  REST channel (`.venv-channels`, matrix-nio).
- `channels.markdown`: the small, safe Markdown → HTML converter both use (standard library).

See docs/messengers.md.
"""
