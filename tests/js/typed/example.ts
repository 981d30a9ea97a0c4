// A typed use of the package: `tsc --noEmit` must accept it, with no `any` anywhere.
import { verify, disclose, VerifyError, type Report, type Section, type Check } from 'healthproof';

export function summarize(presentation: string, trustList: string, signer: string): string {
  const report: Report = verify(presentation, trustList, { trustListSigners: [signer] });
  const failed: Check[] = report.checks.filter((c) => c.outcome === 'failed');
  const sections: Section[] = report.content?.sections ?? [];
  const country: string | undefined = report.issuer?.country;
  const logged: number | null | undefined = report.ledger?.loggedBy;
  return `${report.verdict} ${country ?? '?'} ${sections.map((s) => s.key).join(',')} ${failed.length} ${logged}`;
}

export function share(presentation: Uint8Array): string {
  try {
    return disclose(presentation, ['name', 'allergies']);
  } catch (e) {
    if (e instanceof VerifyError) return `refused: ${e.code}`;
    throw e;
  }
}
