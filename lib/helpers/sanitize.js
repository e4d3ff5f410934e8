'use strict'

// Sanitisers. Options are validated into a native policy once: a policy object given again is
// reused, and createHtmlSanitizer/createFilenameSanitizer prepare one explicitly.

const { requireBinding } = require('../engines/native')

function cachedPolicy(create) {
  let defaults = null
  const byOptions = new WeakMap()
  return (options) => {
    if (options === undefined || options === null) return (defaults ??= create(undefined))
    if (typeof options !== 'object') return create(options)
    let policy = byOptions.get(options)
    if (policy === undefined) {
      policy = create(options)
      byOptions.set(options, policy)
    }
    return policy
  }
}

const htmlPolicy = cachedPolicy((o) => requireBinding().createHtmlPolicy(o))
const filenamePolicy = cachedPolicy((o) => requireBinding().createFilenamePolicy(o))

function sanitizeHtml(html, options) {
  return requireBinding().sanitizeHtmlWith(htmlPolicy(options), html)
}

/**
 * `sanitizeHtml` on the libuv thread pool, for large input: the event loop goes on meanwhile.
 * Every error, argument errors included, is a rejection.
 */
function sanitizeHtmlAsync(html, options) {
  try {
    return requireBinding().sanitizeHtmlAsync(htmlPolicy(options), html)
  } catch (error) {
    return Promise.reject(error)
  }
}

function createHtmlSanitizer(options) {
  const policy = requireBinding().createHtmlPolicy(options)
  const clean = (html) => requireBinding().sanitizeHtmlWith(policy, html)
  clean.async = (html) => {
    try {
      return requireBinding().sanitizeHtmlAsync(policy, html)
    } catch (error) {
      return Promise.reject(error)
    }
  }
  return clean
}

function sanitizeFilename(name, options) {
  return requireBinding().sanitizeFilenameWith(filenamePolicy(options), name)
}

function createFilenameSanitizer(options) {
  const policy = requireBinding().createFilenamePolicy(options)
  return (name) => requireBinding().sanitizeFilenameWith(policy, name)
}

function validateSqlInterval(value) {
  return requireBinding().validateSqlInterval(value)
}

module.exports = {
  sanitizeHtml,
  sanitizeHtmlAsync,
  createHtmlSanitizer,
  sanitizeFilename,
  createFilenameSanitizer,
  validateSqlInterval,
}
