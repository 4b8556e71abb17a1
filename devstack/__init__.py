"""The no-Docker dev stack: embedded Postgres, Redis and Temporal, demo data, app processes."""
