"""Messenger channels of the assistant besides the web widget.

- `channels.telegram`: Rasa's Telegram connector with a configurable Bot API URL
  (runs inside the Rasa server, `.venv`).
- `channels.matrix_bridge`: a separate process that connects a Matrix bot user to Rasa's
  REST channel (`.venv-channels`, matrix-nio).
- `channels.markdown`: the one markup, parsed by markdown-it-py and rendered for each channel
  (Telegram and Matrix HTML through the nh3 sanitiser, plain text for terminals).

See docs/messengers.md.
"""
