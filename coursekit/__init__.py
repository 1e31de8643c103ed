"""Shared plumbing for every week, notebook, test and grader of the course: the ground floor that the three
weeks stand on side by side. Nothing graded lives here, and nothing here imports a week.

Modules, one job each:

* `trax_env`: imports trax fast, quietly and deterministically, and applies the known fixes for trax 1.4.1
  on jax 0.10 / numpy 2 (see ../shared/STACK.md and the module's docstring);
* `tokenizer`: the SentencePiece `Tokenizer` class, `train_tokenizer` (deterministic) and the reserved ids
  PAD 0, EOS 1, UNK 2; each week packages its own model (`PackagedTokenizer`);
* `loop`: `run_loop` (a trax training Loop with a progress bar and a history), `checkpoint_record`,
  `weighted_tasks`, `output_folder`, `save_weights`/`load_weights` (byte-reproducible checkpoints) and the
  training record written beside them;
* `decoding`: `jit_model`, `padded_length` and `gumbel_sample`, the ungraded helpers of the weeks' decoders;
* `schedules`: the learning-rate cool-down of the weeks' training recipes;
* `streams`: `repeat_shuffled`, the seeded epochs that every week's input pipeline starts from;
* `synthetic`: the seeded `Draws`, the wording helpers, stream and splits of the weeks' text generators;
* `commands`: the arguments of the weeks' data and evaluation commands;
* `names`: the invented people's, towns' and regions' names that Weeks 2 and 3 draw from;
* `loaders`: the file and argument checks, line and JSON-record reading and whitespace cleaning of the loaders
  of users' files, and the TFDS helpers;
* `exports`: `lazy_exports`, the weeks' public names that load their module on first use;
* `student`: the stubs of the student edition's graded functions (run the student's own code).
"""
