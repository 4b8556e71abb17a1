# One image for api, worker, bots and migrations; the command picks the role.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, the exact versions of requirements.lock (what CI tested), so code
# changes reuse this layer.
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
# Bytecode built once here: the workflow sandbox re-imports workflows/ for every new
# workflow, and without .pyc files (PYTHONDONTWRITEBYTECODE, read-only code) it would
# compile them from source each time.
RUN python -m compileall -q /app \
    && pip install --no-deps . \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin app

# Code stays root-owned: the app user can run it, not change it.
USER app
EXPOSE 8000
# api.serve: uvicorn reading X-Forwarded-* only from TRUSTED_PROXIES.
CMD ["python", "-m", "api.serve", "--host", "0.0.0.0", "--port", "8000"]
