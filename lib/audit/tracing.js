'use strict'

// The integrations' authentication as a diagnostics_channel TracingChannel,
// `tracing:auth-shield:authenticate` (start, end, asyncStart, asyncEnd, error), so a tracer
// (@fastify/otel, dd-trace, an OpenTelemetry instrumentation) can make a span of it or add its
// outcome to the request's. The context holds the request's method and path (no query) and, at
// end, `result`: the AuthResult, which holds no token. With no subscriber nothing is built.

const diagnostics = require('node:diagnostics_channel')

const channel = diagnostics.tracingChannel('auth-shield:authenticate')

/**
 * `run()`'s result (an AuthResult, or a promise of one), traced when anyone listens. `framework`
 * is the adapter of frameworks.js, `name` its name.
 */
function traced(run, req, framework, name) {
  if (!channel.hasSubscribers) return run()
  const context = { framework: name, method: req.method, path: framework.uriOf(req), request: req }
  return channel.start.runStores(context, () => {
    let result
    try {
      result = run()
    } catch (error) {
      context.error = error
      channel.error.publish(context)
      channel.end.publish(context)
      throw error
    }
    if (typeof result.then !== 'function') {
      context.result = result
      channel.end.publish(context)
      return result
    }
    channel.end.publish(context)
    return result.then(
      (r) => {
        context.result = r
        channel.asyncStart.publish(context)
        channel.asyncEnd.publish(context)
        return r
      },
      (error) => {
        context.error = error
        channel.error.publish(context)
        channel.asyncStart.publish(context)
        channel.asyncEnd.publish(context)
        throw error
      },
    )
  })
}

module.exports = { traced, channel }
