"""Custom Rasa graph components, loaded by `rasa train` and the Rasa server (config.yml).

Kept out of `actions/`: the action server imports every module of that package at start-up,
and these modules import Rasa itself.

Rasa imports this package while it reads a model's graph, before any component is loaded, and
the import makes two of Rasa's own steps cheaper without changing their results
(docs/performance.md):

- `action_results`: the action server's responses are validated with a schema validator built
  once, instead of re-checking the schema on every call;
- `action_calls`: with `tracker_events: turn` in endpoints.yml, a call to the action server
  carries the current turn's events instead of the whole session's (bounded per turn);
- `events`: an event's class is looked up by its type name once, not on every event;
- `fast_load`: a DIET model is loaded for prediction without tracing its training step
  (`RASA_FAST_LOAD=0` switches this off, to compare).
"""

import os

from rasa_components import action_calls, action_results, events, fast_load

action_calls.install()
action_results.install()
events.install()
if os.environ.get("RASA_FAST_LOAD", "1") != "0":
    fast_load.install()
