"""Running the course's trax code on a lent GPU machine, which has JAX but not TensorFlow (see run_trax)."""
