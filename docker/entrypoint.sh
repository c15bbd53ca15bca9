#!/bin/sh
# Start one Rifada process in the container:
#   web      gunicorn (docker/gunicorn.conf.py)
#   worker   django-q2's qcluster (run as many as you like)
#   anything else is run as given, e.g. `python manage.py load_demo --force`.
# The web role (or any role with RUN_MIGRATIONS=1) waits for the database, then runs
# migrate, createcachetable and setup_schedules before it starts; RUN_MIGRATIONS=0 skips
# that. A worker waits until the migrations are applied.
set -eu
cd /app

role="${1:-web}"
if [ "$#" -gt 0 ]; then
    shift
fi

case "$role" in
    web)
        set -- gunicorn --config /app/docker/gunicorn.conf.py "$@"
        migrate_by_default=1
        ;;
    worker)
        set -- python manage.py qcluster "$@"
        migrate_by_default=0
        ;;
    *)
        set -- "$role" "$@"
        migrate_by_default=0
        ;;
esac

timeout="${DB_WAIT_TIMEOUT:-60}"
if [ "${RUN_MIGRATIONS:-$migrate_by_default}" = "1" ]; then
    python docker/prepare.py wait-for-database --timeout "$timeout"
    python docker/prepare.py migrate
elif [ "$role" = "web" ]; then
    python docker/prepare.py wait-for-database --timeout "$timeout"
elif [ "$role" = "worker" ]; then
    python docker/prepare.py wait-for-database --timeout "$timeout"
    python docker/prepare.py wait-for-migrations --timeout "${MIGRATIONS_WAIT_TIMEOUT:-600}"
fi

exec "$@"
