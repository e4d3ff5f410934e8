'use strict'

// The Redis tests start their own `redis-server`. This makes sure one is installed before the
// tests run: found on PATH, or installed from the distribution's package (`apt-get install -y
// redis-server`, which needs root), so that `npm test` on a fresh machine needs nothing by hand.
// When neither works it says so and fails: the Redis tests never skip.

const { spawnSync } = require('node:child_process')

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

function ensureRedis() {
  if (has('redis-server')) return
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  if (root && has('apt-get')) {
    console.error('redis-server is missing; installing it with apt-get for the Redis tests')
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    const install = () =>
      spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], { stdio: 'inherit', env })
        .status === 0
    if (!install()) {
      spawnSync('apt-get', ['update'], { stdio: 'inherit', env })
      install()
    }
    // The package starts a system service; the tests start their own servers instead.
    spawnSync('sh', ['-c', 'service redis-server stop >/dev/null 2>&1 || true'])
  }
  if (!has('redis-server')) {
    console.error(
      'redis-server is not installed and could not be installed here: install Redis 6.2+ (Debian: apt-get install redis-server) and run the tests again',
    )
    process.exit(1)
  }
}

module.exports = { ensureRedis }

if (require.main === module) ensureRedis()
