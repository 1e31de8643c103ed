"""``python -m w3_qa.data``: see :func:`w3_qa.data.cli.main`."""
from w3_qa.data.cli import main

if __name__ == "__main__":
    main()
