#!/bin/sh
# The mysql stand-in's entrypoint (test infrastructure): MariaDB initialised on its first start from the official
# mysql image's variables (MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD, MYSQL_RANDOM_ROOT_PASSWORD,
# MYSQL_ROOT_HOST, MYSQL_DATABASE, MYSQL_USER, MYSQL_PASSWORD, each also as VAR_FILE), then run as user mysql.
set -eu

# file_env VAR [DEFAULT]: VAR from the environment, or from the file VAR_FILE names (not both).
file_env() {
  var=$1
  eval "val=\${$var:-}"
  eval "file=\${${var}_FILE:-}"
  if [ -n "$val" ] && [ -n "$file" ]; then
    echo "[ERROR] [Entrypoint]: Both $var and ${var}_FILE are set (but are exclusive)" >&2
    exit 1
  fi
  if [ -n "$file" ]; then val=$(cat "$file"); fi
  if [ -z "$val" ]; then val=${2:-}; fi
  eval "$var=\$val"
  export "$var"
  unset "${var}_FILE"
}

# A single-quoted SQL string literal.
sql_string() {
  printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")"
}

# An SQL identifier in backquotes.
sql_name() {
  printf '`%s`' "$(printf '%s' "$1" | sed -e 's/`/``/g')"
}

init_sql() {
  root_pw=$(sql_string "$MYSQL_ROOT_PASSWORD")
  # --bootstrap reads one statement per line.
  echo "CREATE DATABASE IF NOT EXISTS mysql;"
  echo "USE mysql;"
  echo "SET @auth_root_socket=NULL;"
  cat /usr/share/mysql/mysql_system_tables.sql /usr/share/mysql/mysql_system_tables_data.sql
  echo "FLUSH PRIVILEGES;"
  echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $root_pw;"
  if [ "$MYSQL_ROOT_HOST" != localhost ]; then
    echo "CREATE USER 'root'@$(sql_string "$MYSQL_ROOT_HOST") IDENTIFIED BY $root_pw;"
    echo "GRANT ALL ON *.* TO 'root'@$(sql_string "$MYSQL_ROOT_HOST") WITH GRANT OPTION;"
  fi
  if [ -n "$MYSQL_DATABASE" ]; then
    echo "CREATE DATABASE IF NOT EXISTS $(sql_name "$MYSQL_DATABASE");"
  fi
  if [ -n "$MYSQL_USER" ] && [ -n "$MYSQL_PASSWORD" ]; then
    echo "CREATE USER $(sql_string "$MYSQL_USER")@'%' IDENTIFIED BY $(sql_string "$MYSQL_PASSWORD");"
    if [ -n "$MYSQL_DATABASE" ]; then
      echo "GRANT ALL ON $(sql_name "$MYSQL_DATABASE").* TO $(sql_string "$MYSQL_USER")@'%';"
    fi
  fi
}

if [ "${1#-}" != "$1" ]; then
  set -- mysqld "$@"
fi

if [ "$1" = mysqld ] || [ "$1" = mariadbd ]; then
  shift
  DATADIR=/var/lib/mysql
  mkdir -p "$DATADIR" /run/mysqld
  chown mysql:mysql "$DATADIR" /run/mysqld
  if [ ! -d "$DATADIR/mysql" ]; then
    file_env MYSQL_ROOT_PASSWORD
    file_env MYSQL_DATABASE
    file_env MYSQL_USER
    file_env MYSQL_PASSWORD
    file_env MYSQL_ROOT_HOST '%'
    if [ -z "$MYSQL_ROOT_PASSWORD" ] && [ -z "${MYSQL_ALLOW_EMPTY_PASSWORD:-}" ] && [ -z "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
      echo "[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified" >&2
      echo "    You need to specify one of the following as an environment variable:" >&2
      echo "    - MYSQL_ROOT_PASSWORD" >&2
      echo "    - MYSQL_ALLOW_EMPTY_PASSWORD" >&2
      echo "    - MYSQL_RANDOM_ROOT_PASSWORD" >&2
      exit 1
    fi
    if [ "$MYSQL_USER" = root ]; then
      echo "[ERROR] [Entrypoint]: MYSQL_USER=\"root\", MYSQL_USER and MYSQL_PASSWORD are for configuring a regular user and cannot be used for the root user" >&2
      exit 1
    fi
    if [ -n "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ] && [ -z "$MYSQL_ROOT_PASSWORD" ]; then
      MYSQL_ROOT_PASSWORD=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 24)
      echo "[Note] [Entrypoint]: GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
    fi
    echo "[Note] [Entrypoint]: Initializing database files"
    if ! init_sql | mariadbd --bootstrap --user=mysql --log-error=/run/mysqld/bootstrap.err >/dev/null 2>&1; then
      cat /run/mysqld/bootstrap.err >&2
      exit 1
    fi
    echo "[Note] [Entrypoint]: MySQL init process done. Ready for start up."
  fi
  exec mariadbd --user=mysql "$@"
fi

exec "$@"
