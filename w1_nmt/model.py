"""The Week 1 models: an LSTM encoder-decoder with scaled dot-product attention (NMTAttn), and the
seq2seq baseline without attention whose decoder sees only the encoder's last state.

Data-stack contract of both models (trax layers take arrays off a stack and put results back)::

    in:  inputs  (batch, input_len)  int32 token ids, 0 = padding, EOS-terminated
         targets (batch, target_len) int32 token ids (teacher forcing: the decoder reads them shifted
                                      right by one, so position t sees targets[:, :t])
    out: log_probs (batch, target_len, target_vocab_size) float32, log-softmax over the vocabulary
         targets   (batch, target_len) int32, passed through for the loss

The graded functions keep the course's names and meanings: `input_encoder_fn`, `pre_attention_decoder_fn`,
`prepare_attention_input`, `NMTAttn`.
"""
from coursekit.trax_env import import_trax
from coursekit.validation import check_mode, check_positive_int

trax = import_trax()
from trax import layers as tl  # noqa: E402
from trax.fastmath import numpy as fastnp  # noqa: E402


def input_encoder_fn(input_vocab_size, d_model, n_encoder_layers):
    """Encoder of the source sentence: token embeddings followed by `n_encoder_layers` LSTMs.

    (batch, input_len) int32 -> (batch, input_len, d_model) float32: one activation per input token,
    all of which the attention layer will look at (keys and values).
    """
    check_positive_int("input_vocab_size", input_vocab_size)
    check_positive_int("d_model", d_model)
    check_positive_int("n_encoder_layers", n_encoder_layers)
    ### BEGIN SOLUTION
    input_encoder = tl.Serial(
        tl.Embedding(input_vocab_size, d_model),
        [tl.LSTM(d_model) for _ in range(n_encoder_layers)],
    )
    ### END SOLUTION
    return input_encoder


def pre_attention_decoder_fn(mode, target_vocab_size, d_model):
    """Pre-attention decoder: shift the targets right (teacher forcing), embed them, run one LSTM.

    (batch, target_len) int32 -> (batch, target_len, d_model) float32: the queries of the attention.
    In 'predict' mode the shift is skipped (the caller feeds the previous output token, 0 to start)
    and the LSTM keeps its state from one call to the next.
    """
    check_mode(mode)
    check_positive_int("target_vocab_size", target_vocab_size)
    check_positive_int("d_model", d_model)
    ### BEGIN SOLUTION
    pre_attention_decoder = tl.Serial(
        tl.ShiftRight(mode=mode),
        tl.Embedding(target_vocab_size, d_model),
        tl.LSTM(d_model, mode=mode),
    )
    ### END SOLUTION
    return pre_attention_decoder


def prepare_attention_input(encoder_activations, decoder_activations, inputs):
    """Turn encoder and pre-attention decoder activations into the attention's queries, keys, values.

    Args:
        encoder_activations: (batch, input_len, d_model) float32, the encoder's output.
        decoder_activations: (batch, decoder_len, d_model) float32, the pre-attention decoder's output.
        inputs: (batch, input_len) int32 source token ids, 0 = padding.

    Returns:
        queries (batch, decoder_len, d_model) = decoder activations,
        keys (batch, input_len, d_model) = values = encoder activations,
        mask (batch, 1, decoder_len, input_len) bool: True where the key is a real (non-padding) token,
        the same for every decoder position.
    """
    ### BEGIN SOLUTION
    keys = encoder_activations
    values = encoder_activations
    queries = decoder_activations
    mask = inputs != 0
    mask = fastnp.reshape(mask, (mask.shape[0], 1, 1, mask.shape[1]))
    mask = mask + fastnp.zeros((1, 1, decoder_activations.shape[1], 1), dtype=bool)
    ### END SOLUTION
    return queries, keys, values, mask


def NMTAttn(input_vocab_size=2000, target_vocab_size=2000, d_model=128, n_encoder_layers=2,
            n_decoder_layers=2, n_attention_heads=4, attention_dropout=0.0, mode="train"):
    """The attention NMT model: (inputs, targets) -> (log_probs, targets), see the module docstring.

    Stack, layer by layer::

        inputs, targets
        -> Select([0, 1, 0, 1])            inputs, targets, inputs, targets
        -> Parallel(encoder, pre-decoder)  enc_act, dec_act, inputs, targets
        -> PrepareAttentionInput           queries, keys, values, mask, targets
        -> Residual(AttentionQKV)          context + queries, mask, targets
        -> Select([0, 2])                  activations (batch, target_len, d_model), targets
        -> n_decoder_layers x LSTM, Dense(target_vocab_size), LogSoftmax
                                           log_probs (batch, target_len, target_vocab_size), targets
    """
    check_positive_int("n_decoder_layers", n_decoder_layers)
    check_positive_int("n_attention_heads", n_attention_heads)
    if d_model % n_attention_heads:
        raise ValueError(f"d_model ({d_model}) must be divisible by n_attention_heads ({n_attention_heads})")
    if not 0.0 <= attention_dropout < 1.0:
        raise ValueError(f"attention_dropout must be in [0, 1), but got {attention_dropout}")
    ### BEGIN SOLUTION
    input_encoder = input_encoder_fn(input_vocab_size, d_model, n_encoder_layers)
    pre_attention_decoder = pre_attention_decoder_fn(mode, target_vocab_size, d_model)
    model = tl.Serial(
        tl.Select([0, 1, 0, 1]),
        tl.Parallel(input_encoder, pre_attention_decoder),
        tl.Fn("PrepareAttentionInput", prepare_attention_input, n_out=4),
        tl.Residual(tl.AttentionQKV(d_model, n_heads=n_attention_heads,
                                    dropout=attention_dropout, mode=mode)),
        tl.Select([0, 2]),
        [tl.LSTM(d_model, mode=mode) for _ in range(n_decoder_layers)],
        tl.Dense(target_vocab_size),
        tl.LogSoftmax(),
    )
    ### END SOLUTION
    return model


def last_encoder_state(encoder_activations, decoder_activations, inputs):
    """The baseline's bottleneck: the encoder activation at each sentence's last real token.

    Args:
        encoder_activations: (batch, input_len, d_model) float32.
        decoder_activations: (batch, target_len, d_model) float32.
        inputs: (batch, input_len) int32, 0 = padding.

    Returns:
        (batch, target_len, 2 * d_model): every decoder activation concatenated with the same
        fixed-size summary of the source sentence.
    """
    lengths = fastnp.sum(inputs != 0, axis=1)
    last = fastnp.maximum(lengths - 1, 0).astype(fastnp.int32)
    summary = fastnp.take_along_axis(encoder_activations, last[:, None, None], axis=1)
    summary = fastnp.broadcast_to(summary, decoder_activations.shape[:2] + summary.shape[2:])
    return fastnp.concatenate([decoder_activations, summary], axis=-1)


def Seq2SeqBaseline(input_vocab_size=2000, target_vocab_size=2000, d_model=128, n_encoder_layers=2,
                    n_decoder_layers=2, mode="train"):
    """Seq2seq without attention: same data-stack contract and sizes as `NMTAttn`, but the decoder gets
    only the encoder's state at the last source token (the fixed-size information bottleneck)."""
    check_positive_int("n_decoder_layers", n_decoder_layers)
    input_encoder = input_encoder_fn(input_vocab_size, d_model, n_encoder_layers)
    pre_attention_decoder = pre_attention_decoder_fn(mode, target_vocab_size, d_model)
    return tl.Serial(
        tl.Select([0, 1, 0, 1]),                            # inputs, targets, inputs, targets
        tl.Parallel(input_encoder, pre_attention_decoder),  # enc_act, dec_act, inputs, targets
        tl.Fn("LastEncoderState", last_encoder_state),      # dec_act ++ summary, targets
        tl.Dense(d_model),                                  # (batch, target_len, d_model), targets
        [tl.LSTM(d_model, mode=mode) for _ in range(n_decoder_layers)],
        tl.Dense(target_vocab_size),
        tl.LogSoftmax(),
    )
