#!/bin/bash
# Week 3 on a lent GPU machine (device tool): span-corruption pre-training of the encoder-decoder at scale, three
# variants side by side (A: T5 span corruption; B: half salient spans; C: B at d_model 256), for MIN minutes
# each. Fine-tune and score the checkpoints that come back in $OUT on the CPU, with
#   python -m w3_qa.transfer --pretrained A/pretrained.pkl.gz --out A --sizes 100
# (C's checkpoint comes back in 15 MB parts: cat C.pkl.gz.part_* > C.pkl.gz). See tools/device/run_trax.py
# for the wheels to carry and what was seen on an H100. Run from the repo's root:
#   MIN=7.5 KILL=540 bash tools/device/w3_pretrain.sh     (device run, carry: [".whl"], timeout_s 600)
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1 XLA_PYTHON_CLIENT_PREALLOCATE=false
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python3 -c "import jax, numpy; print('jax', jax.__version__, 'numpy', numpy.__version__, jax.devices())"
MIN=${MIN:-7.5}
COMMON="--steps 1000000 --max-minutes $MIN --set pretrain_batch_size=64 --set n_pretrain=100000 --set steps_per_checkpoint=500"
mkdir -p $OUT/A $OUT/B /tmp/C /tmp/logs
timeout ${KILL:-540} python3 tools/device/run_trax.py w3_qa.train pretrain --out $OUT/A $COMMON > /tmp/logs/A.log 2>&1 &
timeout ${KILL:-540} python3 tools/device/run_trax.py w3_qa.train pretrain --out $OUT/B $COMMON --set salient_rate=0.5 > /tmp/logs/B.log 2>&1 &
timeout ${KILL:-540} python3 tools/device/run_trax.py w3_qa.train pretrain --out /tmp/C $COMMON --set salient_rate=0.5 --set d_model=256 \
  --set d_ff=1024 --set n_heads=8 --set pretrain_learning_rate=0.001 > /tmp/logs/C.log 2>&1 &
sleep ${SLEEP:-120}; nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader; uptime; sleep 30; nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader; uptime
wait
cp /tmp/C/pretrained.train.json /tmp/logs/C.train.json
split -b 15M /tmp/C/pretrained.pkl.gz $OUT/C.pkl.gz.part_
tar czf $OUT/logs.tgz -C /tmp logs
for v in A B C; do echo "== $v"; grep -E "^pretrain:|Traceback|Error" /tmp/logs/$v.log | tail -3; done
ls -la $OUT $OUT/A $OUT/B
