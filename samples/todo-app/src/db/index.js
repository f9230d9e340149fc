// Which database: MySQL when MYSQL_HOST, MYSQL_USER, MYSQL_PASSWORD and MYSQL_DB are all set (each may come from a
// file named by the same variable with _FILE, such as MYSQL_PASSWORD_FILE=/run/secrets/db_password), SQLite otherwise.
const fs = require('node:fs');

/**
 * The value of NAME, or the content of the file NAME_FILE names without its trailing newlines: read as the official
 * mysql image reads its own _FILE variables, so both sides of a shared secret file agree on the password.
 */
function setting(env, name) {
  if (env[`${name}_FILE`]) {
    try {
      return fs.readFileSync(env[`${name}_FILE`], 'utf8').replace(/\n+$/, '');
    } catch (e) {
      throw new Error(`Cannot read ${name}_FILE (${env[`${name}_FILE`]}): ${e.message}`);
    }
  }
  return env[name];
}

function mysqlConfig(env = process.env) {
  const host = setting(env, 'MYSQL_HOST');
  const user = setting(env, 'MYSQL_USER');
  const password = setting(env, 'MYSQL_PASSWORD');
  const database = setting(env, 'MYSQL_DB');
  const given = { MYSQL_HOST: host, MYSQL_USER: user, MYSQL_PASSWORD: password, MYSQL_DB: database };
  const set = Object.keys(given).filter((k) => given[k] !== undefined && given[k] !== '');
  if (set.length === 0) return undefined;
  if (set.length < 4) {
    const missing = Object.keys(given).filter((k) => !set.includes(k));
    throw new Error(`To use MySQL, set MYSQL_HOST, MYSQL_USER, MYSQL_PASSWORD (or MYSQL_PASSWORD_FILE) and MYSQL_DB; missing: ${missing.join(', ')}`);
  }
  return { host, user, password, database, port: Number(env.MYSQL_PORT || 3306) };
}

function open(env = process.env) {
  const config = mysqlConfig(env);
  return config ? require('./mysql').open(config) : require('./sqlite').open(env.SQLITE_DB_LOCATION || undefined);
}

module.exports = { open, mysqlConfig };
