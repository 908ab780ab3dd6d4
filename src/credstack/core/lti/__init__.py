"""LTI 1.3 Advantage, the tool's side, as pure rules: what a launch must say
(:mod:`.launches`), what the tool tells a platform about itself and reads of it
(:mod:`.registration`), the messages it signs (:mod:`.messages`), the services' answers
(:mod:`.services`) and who is awarded (:mod:`.awarding`). No network, no clock: keys,
times and documents are parameters."""
