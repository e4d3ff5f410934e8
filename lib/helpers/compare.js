'use strict'

const { requireBinding } = require('../engines/native')

/**
 * Compares two strings or byte arrays in time that depends only on their lengths. Unequal lengths
 * are `false`, never an exception.
 */
function timingSafeEqual(a, b) {
  return requireBinding().timingSafeEqualValues(a, b)
}

module.exports = { timingSafeEqual }
