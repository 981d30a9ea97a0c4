// A typed use of the package: `tsc --noEmit` must accept it, with no `any` anywhere.
import { verify, verifyAsync, disclose, VerifyError, type Report, type Section, type Check, type Kind } from 'healthproof';
import { initSync, type HealthProof } from 'healthproof/init';

export function summarize(presentation: string, trustList: string, signer: string): string {
  const report: Report = verify(presentation, trustList, { trustListSigners: [signer] });
  const failed: Check[] = report.checks.filter((c) => c.outcome === 'failed');
  const sections: Section[] = report.content?.sections ?? [];
  const country: string | undefined = report.issuer?.country;
  const logged: number | null | undefined = report.ledger?.loggedBy;
  return `${report.verdict} ${country ?? '?'} ${sections.map((s) => s.key).join(',')} ${failed.length} ${logged}`;
}

// The same checks, the Ed25519 equations done by WebCrypto where the runtime has it.
export async function verdictOf(presentation: Uint8Array, trustList: string, signer: string, now: number): Promise<Report['verdict']> {
  const report: Report = await verifyAsync(presentation, trustList, { trustListSigners: [signer], now });
  return report.verdict;
}

export function share(presentation: Uint8Array): string {
  try {
    return disclose(presentation, ['name', 'allergies']);
  } catch (e) {
    if (e instanceof VerifyError) return `refused: ${e.code}`;
    throw e;
  }
}

// healthproof/init: the same API, instantiated from bytes the caller holds.

export function fromBytes(wasm: Uint8Array, presentation: string, trustList: string, signer: string): Kind {
  const hp: HealthProof = initSync(wasm);
  const info = hp.parseTrustList(trustList, [signer]);
  const dcc: number = info.dccSigners.length + info.shcIssuers.length;
  return dcc >= 0 ? hp.verify(presentation, trustList, { trustListSigners: [signer] }).kind : 'healthproof';
}
