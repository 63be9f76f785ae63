// GENERATED from the GraphQL schema by `mandates export-console-schema` (config/console_schema.py):
// do not edit. What the console knows of the server's operations and types, without introspection.
export default {
  "queries": [
    "applicationGroups",
    "competentMandataries",
    "dashboard",
    "delegationsGiven",
    "delegationsReceived",
    "employerIdentificationRequests",
    "enterprise",
    "events",
    "lateClosures",
    "legalForms",
    "mandate",
    "mandates",
    "node",
    "notifications",
    "providerIdentificationRequests",
    "registry",
    "representativesMatrix",
    "reviewQueue",
    "undeliveredNotifications",
    "viewer"
  ],
  "mutations": [
    "annulMandate",
    "assessLateClosure",
    "assignNssoNumber",
    "changeBranch",
    "closeMandate",
    "createDelegation",
    "createMandate",
    "decideDeadLetter",
    "decideProviderIdentification",
    "deleteEmployer",
    "endDelegation",
    "importBranchChanges",
    "markRejectionConsulted",
    "recordAction",
    "recordBankruptcy",
    "recordCuratorAnswer",
    "registerForeignEntity",
    "registerWebhook",
    "removeWebhook",
    "requestAuthorisation",
    "requestProviderIdentification",
    "reviewAuthorisation",
    "signMandate",
    "submitEmployerIdentification",
    "uploadAuthorisation"
  ],
  "enumValues": {
    "ClosureReason": [
      "SILENT_EMPLOYER",
      "DEBTOR_EMPLOYER",
      "LATE_NOTICE_BY_EMPLOYER",
      "OTHER"
    ],
    "ForeignDocumentKind": [
      "COMPANY_DATA",
      "REPRESENTATIVE_DESIGNATION",
      "IDENTITY_COPY",
      "SIGNED_AUTHORISATION"
    ],
    "ProviderDeclaration": [
      "TECHNICAL_ABILITY",
      "CIVIL_LIABILITY_INSURANCE",
      "NO_NSSO_DEBTS",
      "FOLLOWS_INSTRUCTIONS",
      "INSPECTOR_ACCESS",
      "TIMELY_REPORTING",
      "QUALITY_BAROMETER"
    ]
  }
};
