//! States, roles and document kinds of the desk workflow, with their stored codes
//! (../shared/docs/workflow.md).

use super::codes::stored_codes;

stored_codes! {
    /// Where an administrator nomination stands.
    pub enum NominationState {
        Pending = "in-attesa",
        Approved = "approvata",
        Rejected = "respinta",
    }
}

stored_codes! {
    /// Where a grant of a profile stands: suspended is distinct from revoked (a stolen
    /// administrator credential, seed 001 §8.4).
    pub enum GrantState {
        Active = "attiva",
        Revoked = "revocata",
        Suspended = "sospesa",
    }
}

stored_codes! {
    /// Who signs for a company.
    pub enum RepresentativeRole {
        LegalRepresentative = "legale-rappresentante",
        /// A procuratore con potere di firma, with the procura on file.
        Procuratore = "procuratore",
    }
}

stored_codes! {
    /// What a stored document is.
    pub enum DocumentKind {
        /// The modulo di delega naming the administrator.
        DelegationForm = "delegation-form",
        Procura = "procura",
        IdentityDocument = "identity-document",
        /// The record of an officer's card authentication.
        CardEvidence = "card-evidence",
        Other = "other",
    }
}

stored_codes! {
    /// What an audit row records (its `action`). Rows of actions this version does not know
    /// (a newer desk's) keep their code on screen.
    pub enum AuditAction {
        OfficerAdd = "officer.add",
        Login = "login",
        LoginRefused = "login.refused",
        Logout = "logout",
        CompanyRegister = "company.register",
        CompanyUpdate = "company.update",
        CompanyKinds = "company.kinds",
        UnitAdd = "unit.add",
        PersonAdd = "person.add",
        RepresentativeAdd = "representative.add",
        NominationSubmit = "nomination.submit",
        NominationApprove = "nomination.approve",
        NominationReject = "nomination.reject",
        NominationReplace = "nomination.replace",
        GrantAdd = "grant.add",
        GrantRevoke = "grant.revoke",
        GrantSuspend = "grant.suspend",
        GrantEnd = "grant.end",
        PolicySet = "policy.set",
        TrustImport = "trust.import",
    }
}
