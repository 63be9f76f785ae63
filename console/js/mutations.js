// The mutations several screens use; each resolves to its payload ({mandate | authorisation, userErrors}).

import { gql, gqlWithFile } from './api.js';
import { MANDATE } from './views/parts.js';

const ERRORS = 'userErrors { code field message }';

export async function signMandate(mandateId) {
  const data = await gql(`mutation($input: SignMandateInput!) { signMandate(input: $input) { mandate { ${MANDATE} } ${ERRORS} } }`,
    { input: { mandateId } });
  return data.signMandate;
}

export async function requestAuthorisation(mandateId, method) {
  const data = await gql(`mutation($input: RequestAuthorisationInput!) { requestAuthorisation(input: $input) {
    authorisation { id method downloadUrl issuedAt } ${ERRORS} } }`, { input: { mandateId, method } });
  return data.requestAuthorisation;
}

export async function uploadAuthorisation(mandateId, file) {
  const data = await gqlWithFile(`mutation($input: UploadAuthorisationInput!) { uploadAuthorisation(input: $input) {
    mandate { ${MANDATE} } ${ERRORS} } }`, { input: { mandateId, file: null } }, 'input.file', file);
  return data.uploadAuthorisation;
}

export async function markRejectionConsulted(mandateId) {
  const data = await gql(`mutation($input: MandateRefInput!) { markRejectionConsulted(input: $input) {
    mandate { id rejection { consultedByPrincipalAt consultedByMandataryAt } } ${ERRORS} } }`,
    { input: { mandateId } });
  return data.markRejectionConsulted;
}

/** Any mutation of the form name(input: X!) { <payload> userErrors }, for operations added over time. */
export async function mutate(name, inputType, input, payload = 'mandate { id }') {
  const data = await gql(`mutation($input: ${inputType}!) { ${name}(input: $input) { ${payload} ${ERRORS} } }`, { input });
  return data[name];
}
