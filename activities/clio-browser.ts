import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  type PortalBrowser,
  type SignInChallenges,
  type SignInFlow,
  msUntilNextTotpStep,
  totpCode,
} from '../src/integrations/clio-portal';
import { type SessionStore } from '../src/sessions/session-store';
import { toPortalFailure } from './shared/portal-failures';

export interface PortalCredentials {
  username: string;
  password: string;
  /** Empty or absent: codes come from a person (SMS), by signal. */
  totpSecret?: string;
}

export interface ClioBrowserDeps {
  browser: PortalBrowser;
  challenges: SignInChallenges;
  store: SessionStore;
  credentials: (tenant: string) => PortalCredentials;
  /** This process's own queue, where the code for a challenge it holds must be sent. */
  hostQueue?: string;
}

export type SignInResult =
  { status: 'active' } | { status: 'mfa_required'; challengeId: string; channel: 'sms'; hostQueue?: string };
export type SubmitResult = { status: 'active' | 'rejected' | 'locked' | 'challenge_lost' };

/** Generations kept per tenant: the live one and a couple of old ones that activities may still hold. */
const KEEP_GENERATIONS = 3;

/** Activities of the browser worker: real Chromium sign-ins; inputs and results carry no secret. */
export function createClioBrowserActivities(deps: ClioBrowserDeps) {
  async function finish(tenant: string, generation: number, flow: SignInFlow): Promise<void> {
    await deps.store.saveMaterial(tenant, generation, await flow.material());
    await deps.store.prune(tenant, KEEP_GENERATIONS);
    log.info('Clio portal session signed in', { tenant, generation });
  }

  return {
    /** Signs in; with a TOTP secret all the way, otherwise up to the MFA challenge, which stays open here. */
    async portalSignIn(input: { tenant: string; generation: number }): Promise<SignInResult> {
      const creds = deps.credentials(input.tenant);
      const flow = await deps.browser.startSignIn();
      let keepOpen = false;
      try {
        const step = await flow.start(creds.username, creds.password);
        if (step === 'signed_in') {
          await finish(input.tenant, input.generation, flow);
          return { status: 'active' };
        }
        if (creds.totpSecret) {
          const outcome = await flow.submitCode(await totpCode(creds.totpSecret));
          if (outcome !== 'signed_in') {
            // A code at the edge of its 30 s window, or one another worker process already used in this step
            // (the portal takes each code once): the retry signs in afresh with the next step's code.
            throw ApplicationFailure.create({
              message: 'The Clio portal did not accept the TOTP code',
              type: 'TotpRejected',
              nextRetryDelay: msUntilNextTotpStep(),
            });
          }
          await finish(input.tenant, input.generation, flow);
          return { status: 'active' };
        }
        keepOpen = true;
        return {
          status: 'mfa_required',
          challengeId: deps.challenges.add(input.tenant, flow),
          channel: 'sms',
          hostQueue: deps.hostQueue,
        };
      } catch (err) {
        throw alertOnDrift(toPortalFailure(err), input.tenant);
      } finally {
        if (!keepOpen) await flow.close();
      }
    },

    /** Enters a code on the open challenge. Never retried by the workflow (a replayed code counts as wrong). */
    async portalSubmitMfaCode(input: {
      tenant: string;
      generation: number;
      challengeId: string;
      code: { ref?: string; code?: string };
    }): Promise<SubmitResult> {
      const flow = deps.challenges.get(input.challengeId, input.tenant);
      if (!flow) return { status: 'challenge_lost' };
      const { ref } = input.code;
      const code = ref ? await deps.store.readMfaCode(input.tenant, ref) : input.code.code;
      if (ref) await deps.store.dropMfaCode(input.tenant, ref);
      if (!code) return { status: 'rejected' };
      try {
        const outcome = await flow.submitCode(code);
        if (outcome === 'signed_in') await finish(input.tenant, input.generation, flow);
        if (outcome !== 'rejected') await deps.challenges.close(input.challengeId);
        return { status: outcome === 'signed_in' ? 'active' : outcome };
      } catch (err) {
        await deps.challenges.close(input.challengeId);
        throw alertOnDrift(toPortalFailure(err), input.tenant);
      }
    },

    async portalAbandonSignIn(input: { challengeId: string }): Promise<void> {
      await deps.challenges.close(input.challengeId);
    },
  };
}

function alertOnDrift(failure: unknown, tenant: string): unknown {
  if (failure instanceof ApplicationFailure && failure.type === 'PortalChanged') {
    log.error('ALERT: the Clio portal changed; browser sessions stop until the page objects are updated', {
      tenant,
      failure: failure.message,
      details: failure.details?.[0],
    });
  }
  return failure;
}
