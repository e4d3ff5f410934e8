import nest from './nest.js'

export const {
  AuthShieldModule,
  AuthShieldGuard,
  AUTH_SHIELD,
  Roles,
  Permissions,
  Scopes,
  Public,
  AuthUser,
  AuthTenant,
  AuthError,
} = nest
export default nest
