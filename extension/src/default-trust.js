// The trust list the extension ships with: the demo list of examples/ and the key that signs
// it, embedded at build time (the demo keys are public: for demonstration only).
import list from '../../examples/trust-list.txt';
import signer from '../../examples/trust-list-signer.txt';

export const DEFAULT_TRUST = Object.freeze({
  list,
  signers: Object.freeze(signer.split('\n').map((l) => l.trim()).filter(Boolean)),
});
