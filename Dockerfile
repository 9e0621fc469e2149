FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY timeline ./timeline
COPY store ./store
COPY config ./config
COPY client ./client
COPY producer ./producer
COPY worker ./worker
COPY service ./service
COPY api ./api
RUN pip install '.[feeds]' && useradd --create-home --uid 1000 timeline
USER timeline
ENTRYPOINT ["timeline"]
CMD ["--help"]
