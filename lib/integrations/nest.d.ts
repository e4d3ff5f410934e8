import type {
  CanActivate,
  DynamicModule,
  ExecutionContext,
  ModuleMetadata,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common'
import type { Reflector } from '@nestjs/core'
import type { AuthConfig, AuthConfigOptions, AuthenticatorLike, JwksRefresher } from '../../index'
import type { AuthUser, IntegrationOptions } from './request-auth'

export type { AuthUser }
export { AuthError } from './guards'

/**
 * The integration options of the Express middleware, less `errors` and `onError`: in Nest a
 * refusal is always an HttpException, answered by the app's exception filters. `Req` is the
 * platform's request (Express's `Request` or Fastify's `FastifyRequest`).
 */
export type NestAuthOptions<Req = any> = Omit<IntegrationOptions<Req>, 'errors'>

/** What `useFactory` answers (or resolves to) for `forRootAsync`. */
export type NestAuthSetup<Req = any> =
  | { config: AuthConfig | AuthenticatorLike; options?: NestAuthOptions<Req> }
  | { config: AuthConfigOptions; options: NestAuthOptions<Req> & { jwksUri: string } }

export interface NestAuthAsyncOptions<Req = any> {
  /** Modules whose providers `inject` names (a ConfigModule, say). */
  imports?: ModuleMetadata['imports']
  /** Providers handed to `useFactory`, in order. */
  inject?: any[]
  useFactory: (...deps: any[]) => NestAuthSetup<Req> | Promise<NestAuthSetup<Req>>
}

/** The prepared guard state, injectable under `AUTH_SHIELD` (for `authenticator` in a service, say). */
export interface AuthShieldState {
  readonly authenticator: AuthenticatorLike
  /** The refresher fetching `jwksUri`; null without one. It stops when the app closes. */
  readonly jwks: JwksRefresher | null
}

/** The injection token of `AuthShieldState`. */
export declare const AUTH_SHIELD: unique symbol

/** A global module: `AuthShieldGuard` resolves in every module of the app. */
export declare class AuthShieldModule implements OnModuleInit, OnModuleDestroy {
  /** Throws a coded error (`INVALID_CONFIG`) here, at startup, for a bad config or option. */
  static forRoot(config: AuthConfig | AuthenticatorLike, options?: NestAuthOptions): DynamicModule
  static forRoot(config: AuthConfigOptions, options: NestAuthOptions & { jwksUri: string }): DynamicModule
  /** The config from other providers; a bad one fails the app's start with a coded error. */
  static forRootAsync(setup: NestAuthAsyncOptions): DynamicModule
  onModuleInit(): Promise<void>
  onModuleDestroy(): void
}

/**
 * `@UseGuards(AuthShieldGuard)` on a controller or handler, or `{ provide: APP_GUARD, useClass:
 * AuthShieldGuard }`: authenticates once a request, then runs the route's `@Roles`,
 * `@Permissions` and `@Scopes` guards; throws an HttpException with the `{ error, code }` body,
 * the refusal's status and headers, and the `AuthError` as its `cause`.
 */
export declare class AuthShieldGuard implements CanActivate {
  constructor(reflector: Reflector, state: AuthShieldState)
  canActivate(context: ExecutionContext): Promise<boolean>
}

/** The user must have one of these roles (`requireRole`); on a handler it replaces the class's. */
export declare function Roles(...roles: string[]): MethodDecorator & ClassDecorator
/** The user must have every one of these permissions (`requirePermission`). */
export declare function Permissions(...permissions: string[]): MethodDecorator & ClassDecorator
/** The user must have every one of these scopes (`requireScope`). */
export declare function Scopes(...scopes: string[]): MethodDecorator & ClassDecorator
/** A route `AuthShieldGuard` lets through without authentication (for an app-wide guard). */
export declare function Public(): MethodDecorator & ClassDecorator

/** The authenticated user, or one of its fields (`@AuthUser('userId')`); undefined on a public route. */
export declare function AuthUser(field?: keyof AuthUser): ParameterDecorator
/** The request's tenant; null when none was named or the route is public. */
export declare function AuthTenant(): ParameterDecorator
