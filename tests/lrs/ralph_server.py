"""Ralph's LRS API on uvicorn, as `ralph runserver --backend fs` serves it, with one correction.

Run with the Python of Ralph's own virtualenv: python ralph_server.py HOST PORT. The settings come
from the environment (RALPH_RUNSERVER_BACKEND=fs, RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH,
RALPH_AUTH_FILE, ...). The correction: Ralph 4.2 to 5.1 write statements to the fs backend's one file
with the "create" operation, which refuses a file that exists, so every POST after the first fails
with a 500; here the fs LRS backend appends instead, as a statement store must.
"""
import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402 - after the correction, which the app's backend reads

if __name__ == "__main__":
    uvicorn.run(app, host=sys.argv[1], port=int(sys.argv[2]), log_level="info", access_log=False)
