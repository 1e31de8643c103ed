"""Shared plumbing for every week, notebook, test and grader of the course: the ground floor that the three
weeks stand on side by side. Nothing graded lives here, and nothing here imports a week.

Modules, one job each:

* `trax_env`: imports trax fast, quietly and deterministically, and applies the known fixes for trax 1.4.1
  on jax 0.10 / numpy 2 (see ../shared/STACK.md and the module's docstring);
* `tokenizer`: the SentencePiece `Tokenizer` class, `train_tokenizer` (deterministic) and the reserved ids
  PAD 0, EOS 1, UNK 2; each week packages its own model;
* `loop`: `run_loop` (a trax training Loop with a progress bar and a history), `checkpoint_record` and
  `save_weights` (byte-reproducible checkpoints);
* `decoding`: `jit_model`, `padded_length` and `gumbel_sample`, the ungraded helpers of the weeks' decoders;
* `schedules`: the learning-rate cool-down of the weeks' training recipes;
* `synthetic`: the seeded `Draws` and the wording helpers of the weeks' text generators;
* `names`: the invented people's, towns' and regions' names that Weeks 2 and 3 draw from;
* `loaders`: the file and argument checks and whitespace cleaning of the loaders of users' files;
* `student`: the stubs of the student edition's graded functions (run the student's own code).
"""
