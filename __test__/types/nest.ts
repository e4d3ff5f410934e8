// A typed Nest app as users write one (legacy decorators, as Nest uses them), on the
// declarations of `auth-shield/nest`; checked with `tsc --noEmit` (strict) by
// __test__/types.test.js. It is compiled, never run.

import { Controller, Get, Inject, Injectable, Module, UseGuards, Catch, HttpException } from '@nestjs/common'
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common'
import { APP_GUARD } from '@nestjs/core'
import {
  AuthShieldModule,
  AuthShieldGuard,
  AUTH_SHIELD,
  AuthError,
  AuthUser,
  AuthTenant,
  Permissions,
  Public,
  Roles,
  Scopes,
  type AuthShieldState,
  type AuthUser as User,
} from 'auth-shield/nest'

@Controller('api')
@UseGuards(AuthShieldGuard)
class ApiController {
  @Get('me')
  me(@AuthUser() user: User, @AuthTenant() tenant: string | null): { id: string; tenant: string | null } {
    return { id: user.userId, tenant }
  }

  @Get('admin')
  @Roles('admin')
  admin(@AuthUser('userId') id: string): string {
    return id
  }

  @Get('billing')
  @Permissions('billing:read')
  @Scopes('invoices')
  billing(): boolean {
    return true
  }

  @Get('health')
  @Public()
  health(): string {
    return 'ok'
  }
}

@Injectable()
class Tokens {
  constructor(@Inject(AUTH_SHIELD) private readonly state: AuthShieldState) {}
  issue(sub: string): string {
    return this.state.authenticator.signAccessToken({ sub })
  }
}

@Catch(HttpException)
class Problems implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const code = exception.cause instanceof AuthError ? exception.cause.code : 'OTHER'
    host
      .switchToHttp()
      .getResponse<{ status(n: number): { json(v: unknown): void } }>()
      .status(exception.getStatus())
      .json({ code })
  }
}

@Module({
  imports: [
    AuthShieldModule.forRoot(
      { accessSecret: 'x'.repeat(32), refreshSecret: 'y'.repeat(32) },
      { tenantHeader: 'x-org' },
    ),
  ],
  controllers: [ApiController],
  providers: [Tokens, Problems, { provide: APP_GUARD, useClass: AuthShieldGuard }],
})
export class AppModule {}

const SETTINGS = Symbol('settings')
@Module({
  imports: [
    AuthShieldModule.forRootAsync({
      inject: [SETTINGS],
      useFactory: async (settings: { issuer: string }) => ({
        config: { issuer: settings.issuer, audience: 'api' },
        options: { jwksUri: `${settings.issuer}/certs`, jwksOptions: { cooldown: 10_000 } },
      }),
    }),
  ],
})
export class ProviderModule {}
