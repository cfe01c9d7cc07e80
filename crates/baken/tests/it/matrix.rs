//! The authorisation matrix (issue 12, point 8), generated from the router's own route table
//! (`baken_web::route_table`): every route × every role (and no session at all) × a signal of
//! the caller's own or another organisation × each classification, with the answer that must
//! come: allowed, 403, 404 or "log in first". A route the application serves without a row in
//! [`MATRIX`] fails the test, and so does a row for a route it no longer serves.
//!
//! Most requests carry no valid content (an empty form with only the CSRF token, an empty JSON
//! object), so "allowed" means the request got past access control — to the page, or to a
//! validation error about its fields. Status changes and assignments carry a valid body (the
//! API parses it before it looks anything up), so they do change the signals they may change;
//! the answers stay the same in any order (a second change is refused as a transition: still
//! past access control).

use crate::harness::{password_hash, signal_json, TestApp};
use baken_core::model::AreaKind;
use baken_core::{Role, RoleSet};
use baken_store::{Actor, NewUser};
use baken_web::routes::{Route, Verb};
use std::collections::{BTreeMap, BTreeSet};

baken_store::on_both_engines!(crate::harness::TestApp =>
    every_route_answers_every_role_as_the_matrix_says
);

const NOW: time::OffsetDateTime = time::macros::datetime!(2025-06-02 10:00 UTC);

/// Who asks: no session, or an account with one role. Partners are in organisation B, the
/// others in A (the municipality).
const WHO: [(&str, Option<(Role, &str)>); 9] = [
    ("anoniem", None),
    ("analist", Some((Role::Analist, "analist@a.test"))),
    ("bibob", Some((Role::BibobCoordinator, "bibob@a.test"))),
    (
        "casustafel",
        Some((Role::CasustafelLid, "casustafel@a.test")),
    ),
    ("toezicht", Some((Role::Toezichthouder, "toezicht@a.test"))),
    ("partner", Some((Role::Partner, "partner@b.test"))),
    ("lezer", Some((Role::Lezer, "lezer@a.test"))),
    ("beheerder", Some((Role::Beheerder, "beheer@a.test"))),
    ("auditor", Some((Role::Auditor, "auditor@a.test"))),
];

/// The classifications, in the order of the letters of an object route's answer.
const CLASSIFICATIONS: [&str; 4] = ["openbaar", "intern", "vertrouwelijk", "bibob"];

/// What a request's answer means for access.
fn outcome(status: u16, location: Option<&str>) -> char {
    // Past access control: the page, a redirect elsewhere, or a refusal of the content
    // (400, 409, 422) — all 'A'.
    match status {
        401 => 'L',
        303 | 302 if location.is_some_and(|l| l.starts_with("/inloggen")) => 'L',
        403 => 'F',
        404 => 'N',
        429 => 'T',
        s if s < 500 => 'A',
        _ => '!',
    }
}

/// Per route (method and path) the answer per caller. A route about no object has one letter;
/// a route about a field visit or a case two (own organisation's, other's); a route about a signal, or a
/// subject or dossier of one of its mentions, eight: the caller's own organisation's signal
/// classified openbaar, intern, vertrouwelijk and bibob, then another organisation's.
/// A = allowed, F = 403, N = 404, L = log in first (401, or a redirect to /inloggen),
/// T = 429 (throttled). Callers, in order: no session, analist, Bibob-coördinator,
/// casustafel-lid, toezichthouder, partner (organisation B), lezer, beheerder, auditor.
#[rustfmt::skip]
const MATRIX: &[(&str, &str, [&str; 9])] = &[
    ("GET", "/", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/afwijkingen", ["L", "A", "A", "F", "A", "A", "A", "F", "F"]),
    ("GET", "/api/v1/cases", ["L", "A", "A", "A", "A", "A", "F", "F", "F"]),
    // A case: the caller's own organisation's, then another's (issue 14). Only its owning
    // team's analysts and its members see one; lezers and beheerders see no case at all.
    ("GET", "/api/v1/cases/{id}", ["LL", "AN", "NN", "NN", "NN", "NN", "FF", "FF", "FF"]),
    ("GET", "/api/v1/deviations", ["L", "A", "A", "F", "A", "A", "A", "F", "F"]),
    // What the pages show of the catalogue, areas, visits and counts (issue 17, pt 5).
    // A dossier by a visible mention (404 for any other); a person's then asks the reason (400).
    ("GET", "/api/v1/dossiers/{id}", ["LLLLLLLL", "AAANAAAN", "AAAAAAAN", "NNNNNNNN", "NNNNNNNN", "AAANAAAN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN"]),
    ("GET", "/api/v1/catalogue", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/api/v1/areas", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    // An area's picture, as its page: whoever may count signals.
    ("GET", "/api/v1/areas/{code}", ["L", "A", "A", "F", "A", "A", "A", "F", "F"]),
    ("GET", "/api/v1/visits", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/api/v1/visits/{id}", ["LL", "AN", "AN", "NN", "AN", "AN", "NN", "NN", "NN"]),
    ("GET", "/api/v1/counts", ["L", "A", "A", "F", "A", "A", "A", "F", "F"]),
    ("GET", "/api/v1/openapi.json", ["A", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/api/v1/signals", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/api/v1/signals/{id}", ["LLLLLLLL", "AAANAAAN", "AAAAAAAN", "NNNNNNNN", "NNNNNNNN", "AAANAAAN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN"]),
    // Suggesting cases for a signal is triage: analysts only, for signals they may see.
    ("GET", "/api/v1/signals/{id}/case-suggestions", ["LLLLLLLL", "AAANAAAN", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF"]),
    ("GET", "/api/v1/subject-suggestions", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/beheer/catalogus", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    // Accounts and their tokens are the beheerder's (issue 17, pt 3).
    ("GET", "/beheer/gebruikers", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("GET", "/beheer/gebruikers/{id}", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("POST", "/beheer/gebruikers", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("POST", "/beheer/gebruikers/{id}/inschakelen", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("POST", "/beheer/gebruikers/{id}/ontgrendelen", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("POST", "/beheer/gebruikers/{id}/rollen", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    // An empty form names no token of the account's: not found.
    ("POST", "/beheer/gebruikers/{id}/token-intrekken", ["L", "F", "F", "F", "F", "F", "F", "N", "F"]),
    ("POST", "/beheer/gebruikers/{id}/uitschakelen", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("POST", "/beheer/gebruikers/{id}/wachtwoord", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("POST", "/beheer/gebruikers/{id}/tweede-factor", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("GET", "/beheer/organisaties", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("POST", "/beheer/organisaties", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("GET", "/beheer/convenanten", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("POST", "/beheer/convenanten", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("POST", "/beheer/convenanten/{id}/beeindigen", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    // The audit trail: the beheerder and the auditor.
    ("GET", "/beheer/audit", ["L", "F", "F", "F", "F", "F", "F", "A", "A"]),
    ("GET", "/beheer/audit.csv", ["L", "F", "F", "F", "F", "F", "F", "A", "A"]),
    // The review of reads per user and purpose (issue 18, pt 4): beheerder and auditor.
    ("GET", "/beheer/doelbinding", ["L", "F", "F", "F", "F", "F", "F", "A", "A"]),
    // Stating why one opens a case one is not named on: whoever sees cases; an empty reason
    // is refused before the case is looked up.
    ("POST", "/casussen/{id}/doel", ["LL", "AA", "AA", "AA", "AA", "AA", "FF", "FF", "FF"]),
    // The inzage (issue 18, pt 7): the privacy officer (auditor) only, for a person mentioned
    // in the organisation's own signals outside Bibob.
    ("GET", "/inzage", ["L", "F", "F", "F", "F", "F", "F", "F", "A"]),
    ("GET", "/inzage/{id}", ["LLLLLLLL", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "AAANNNNN"]),
    ("GET", "/inzage/{id}/json", ["LLLLLLLL", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "AAANNNNN"]),
    ("GET", "/inzage/{id}/pdf", ["LLLLLLLL", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "AAANNNNN"]),
    // The verwijsindex (issue 18, pt 5): the roles that handle signals.
    ("GET", "/verwijsindex", ["L", "A", "A", "F", "A", "A", "F", "F", "F"]),
    ("POST", "/verwijsindex", ["L", "A", "A", "F", "A", "A", "F", "F", "F"]),
    // The yearly access review (issue 18, pt 3): the beheerder's.
    ("GET", "/beheer/toegangsreview", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("GET", "/beheer/toegangsreview.csv", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    // Everyone changes their own password.
    ("GET", "/wachtwoord", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("POST", "/wachtwoord", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    // The second factor and one's own sessions (issue 18, pt 2): everyone's own; the code
    // page sends a whole session on to the overview.
    ("GET", "/inloggen/code", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("POST", "/inloggen/code", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/tweede-factor", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("POST", "/tweede-factor", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/mijn-account", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("POST", "/mijn-account/sessies", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("POST", "/mijn-account/herstelcodes", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/beheer/checklists", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("GET", "/beheer/koppelen", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    // A subject's number leads to the dossier of that mention without looking anything up
    // (issue 12, point 3): the dossier page decides.
    ("GET", "/betrokkenen/{id}", ["LLLLLLLL", "AAAAAAAA", "AAAAAAAA", "AAAAAAAA", "AAAAAAAA", "AAAAAAAA", "AAAAAAAA", "AAAAAAAA", "AAAAAAAA"]),
    ("GET", "/casussen", ["L", "A", "A", "A", "A", "A", "F", "F", "F"]),
    ("GET", "/casussen/nieuw", ["L", "A", "F", "F", "F", "F", "F", "F", "F"]),
    ("GET", "/casussen/{id}", ["LL", "AN", "NN", "NN", "NN", "NN", "FF", "FF", "FF"]),
    ("GET", "/dossiers/{id}", ["LLLLLLLL", "AAANAAAN", "AAAAAAAN", "NNNNNNNN", "NNNNNNNN", "AAANAAAN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN"]),
    ("GET", "/gebieden", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/gebieden/{code}", ["L", "A", "A", "F", "A", "A", "A", "F", "F"]),
    ("GET", "/import", ["L", "A", "A", "F", "A", "A", "F", "F", "F"]),
    ("GET", "/inloggen", ["A", "A", "A", "A", "A", "A", "A", "A", "A"]),
    // Single sign-on is not set up in this installation (it::single_sign_on has it).
    ("GET", "/inloggen/sso", ["N", "N", "N", "N", "N", "N", "N", "N", "N"]),
    ("GET", "/inloggen/sso/terug", ["N", "N", "N", "N", "N", "N", "N", "N", "N"]),
    ("GET", "/kaart", ["L", "A", "A", "F", "A", "A", "A", "F", "F"]),
    ("GET", "/melden", ["A", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/overzicht", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/signalen", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/signalen/nieuw", ["L", "A", "A", "F", "A", "A", "F", "F", "F"]),
    ("GET", "/signalen/{id}", ["LLLLLLLL", "AAANAAAN", "AAAAAAAN", "NNNNNNNN", "NNNNNNNN", "AAANAAAN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN"]),
    ("GET", "/static/baken.css", ["A", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/veld", ["L", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("GET", "/veld/nieuw", ["L", "A", "A", "F", "A", "A", "F", "F", "F"]),
    ("GET", "/veld/{id}", ["LL", "AN", "AN", "NN", "AN", "AN", "NN", "NN", "NN"]),
    ("POST", "/api/v1/cases", ["L", "A", "F", "F", "F", "F", "F", "F", "F"]),
    // Only analysts run cases; an empty body is refused before anything is looked up.
    ("POST", "/api/v1/cases/{id}/members", ["LL", "AA", "FF", "FF", "FF", "FF", "FF", "FF", "FF"]),
    ("POST", "/api/v1/cases/{id}/merges", ["LL", "AA", "FF", "FF", "FF", "FF", "FF", "FF", "FF"]),
    ("POST", "/api/v1/cases/{id}/subjects", ["LL", "AA", "FF", "FF", "FF", "FF", "FF", "FF", "FF"]),
    ("POST", "/api/v1/cases/{id}/splits", ["LL", "AA", "FF", "FF", "FF", "FF", "FF", "FF", "FF"]),
    ("POST", "/api/v1/cases/{id}/signals", ["LL", "AA", "FF", "FF", "FF", "FF", "FF", "FF", "FF"]),
    ("POST", "/api/v1/cases/{id}/status-changes", ["LL", "AN", "FF", "FF", "FF", "FF", "FF", "FF", "FF"]),
    ("POST", "/api/v1/signals", ["L", "A", "A", "F", "A", "A", "F", "F", "F"]),
    ("POST", "/api/v1/signals/{id}/assignments", ["LLLLLLLL", "AAANFFFN", "AAAAFFFN", "NNNNNNNN", "NNNNNNNN", "FFFNFFFN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN"]),
    ("POST", "/api/v1/signals/{id}/corrections", ["LLLLLLLL", "AAANFFFN", "AAAAFFFN", "NNNNNNNN", "NNNNNNNN", "FFFNFFFN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN"]),
    ("POST", "/api/v1/signals/{id}/status-changes", ["LLLLLLLL", "AAANFFFN", "AAAAFFFN", "NNNNNNNN", "NNNNNNNN", "FFFNFFFN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN"]),
    ("POST", "/beheer/catalogus/indicator", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("POST", "/beheer/catalogus/thema", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("POST", "/beheer/checklists", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("POST", "/beheer/koppelen", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("POST", "/casussen/nieuw", ["L", "A", "F", "F", "F", "F", "F", "F", "F"]),
    // A refused change shows the case again with what was wrong: only for a case one sees.
    ("POST", "/casussen/{id}/leden", ["LL", "AN", "FF", "FF", "FF", "FF", "FF", "FF", "FF"]),
    ("POST", "/casussen/{id}/samenvoegen", ["LL", "AN", "FF", "FF", "FF", "FF", "FF", "FF", "FF"]),
    ("POST", "/casussen/{id}/splitsen", ["LL", "AN", "FF", "FF", "FF", "FF", "FF", "FF", "FF"]),
    ("POST", "/casussen/{id}/signalen", ["LL", "AN", "FF", "FF", "FF", "FF", "FF", "FF", "FF"]),
    ("POST", "/casussen/{id}/status", ["LL", "AN", "FF", "FF", "FF", "FF", "FF", "FF", "FF"]),
    ("POST", "/dossiers/{id}", ["LLLLLLLL", "AAANAAAN", "AAAAAAAN", "NNNNNNNN", "NNNNNNNN", "AAANAAAN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN"]),
    // Undoing needs a judgement; an invented one is not found, whoever asks.
    // Adding a dossier to a case: analysts only; a form without a case is refused before
    // anything is looked up.
    ("POST", "/dossiers/{id}/casus", ["LLLLLLLL", "AAAAAAAA", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF"]),
    ("POST", "/dossiers/{id}/herstel", ["LLLLLLLL", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN"]),
    // Roles that may not judge links are refused before anything is looked up.
    ("POST", "/dossiers/{id}/oordeel", ["LLLLLLLL", "AAANAAAN", "AAAAAAAN", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF"]),
    ("POST", "/dossiers/{id}/samenvoegen", ["LLLLLLLL", "AAANAAAN", "AAAAAAAN", "NNNNNNNN", "NNNNNNNN", "AAANAAAN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN"]),
    ("POST", "/import", ["L", "A", "A", "F", "A", "A", "F", "F", "F"]),
    // Wrong credentials send one back to the login page.
    ("POST", "/inloggen", ["L", "L", "L", "L", "L", "L", "L", "L", "L"]),
    // Open to everyone (each caller posts from an address of its own, see `answer`).
    ("POST", "/melden", ["A", "A", "A", "A", "A", "A", "A", "A", "A"]),
    ("POST", "/signalen/nieuw", ["L", "A", "A", "F", "A", "A", "F", "F", "F"]),
    ("POST", "/signalen/{id}/status", ["LLLLLLLL", "AAANFFFN", "AAAAFFFN", "NNNNNNNN", "NNNNNNNN", "FFFNFFFN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN"]),
    ("POST", "/signalen/{id}/toewijzing", ["LLLLLLLL", "AAANFFFN", "AAAAFFFN", "NNNNNNNN", "NNNNNNNN", "FFFNFFFN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN"]),
    // Correcting: those who may triage it (and whoever registered it, not in this world).
    ("GET", "/signalen/{id}/corrigeren", ["LLLLLLLL", "AAANFFFN", "AAAAFFFN", "NNNNNNNN", "NNNNNNNN", "FFFNFFFN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN"]),
    ("POST", "/signalen/{id}/corrigeren", ["LLLLLLLL", "AAANFFFN", "AAAAFFFN", "NNNNNNNN", "NNNNNNNN", "FFFNFFFN", "NNNNNNNN", "NNNNNNNN", "NNNNNNNN"]),
    // Logging out ends at the login page, with or without a session.
    ("POST", "/uitloggen", ["L", "L", "L", "L", "L", "L", "L", "L", "L"]),
    ("POST", "/veld/nieuw", ["L", "A", "A", "F", "A", "A", "F", "F", "F"]),
    ("POST", "/veld/{id}/bevindingen/{position}/signaal", ["LL", "AN", "AN", "FF", "AN", "AN", "FF", "FF", "FF"]),
    // The case table's meetings (issue 14): seen by whom sits at the table (here only the
    // analist who planned the own organisation's); a meeting of another organisation is not
    // found. API bodies and forms that do not parse are refused before anything is looked up.
    ("GET", "/acties", ["L", "A", "A", "A", "A", "A", "F", "F", "F"]),
    ("GET", "/api/v1/actions", ["L", "A", "A", "A", "A", "A", "F", "F", "F"]),
    ("GET", "/api/v1/meetings", ["L", "A", "A", "A", "A", "A", "F", "F", "F"]),
    ("GET", "/api/v1/meetings/agenda-proposal", ["L", "A", "A", "A", "A", "A", "F", "F", "F"]),
    ("GET", "/api/v1/meetings/{id}", ["LL", "AN", "NN", "NN", "NN", "NN", "FF", "FF", "FF"]),
    ("GET", "/api/v1/meetings/{id}/minutes", ["LL", "AN", "NN", "NN", "NN", "NN", "FF", "FF", "FF"]),
    ("GET", "/overleggen", ["L", "A", "A", "A", "A", "A", "F", "F", "F"]),
    ("GET", "/overleggen/nieuw", ["L", "A", "F", "F", "F", "F", "F", "F", "F"]),
    ("GET", "/overleggen/{id}", ["LL", "AN", "NN", "NN", "NN", "NN", "FF", "FF", "FF"]),
    ("GET", "/overleggen/{id}/verslag", ["LL", "AN", "NN", "NN", "NN", "NN", "FF", "FF", "FF"]),
    ("GET", "/overleggen/{id}/verslag.pdf", ["LL", "AN", "NN", "NN", "NN", "NN", "FF", "FF", "FF"]),
    ("POST", "/acties/{id}/status", ["LL", "AN", "NN", "NN", "NN", "NN", "FF", "FF", "FF"]),
    ("POST", "/api/v1/actions/{id}/status-changes", ["LL", "AN", "NN", "NN", "NN", "NN", "FF", "FF", "FF"]),
    // The register of interventions: a 13b closure (own, other organisation) and a Bibob
    // screening (own, other): the analist has the own closure, the Bibob officer only the
    // own screening, every other role neither (issue 15).
    ("GET", "/interventies", ["L", "A", "A", "A", "A", "A", "F", "F", "F"]),
    ("GET", "/interventies/nieuw", ["L", "A", "A", "F", "F", "F", "F", "F", "F"]),
    ("POST", "/interventies/nieuw", ["L", "A", "A", "F", "F", "F", "F", "F", "F"]),
    ("GET", "/interventies/{id}", ["LLLL", "ANNN", "NNAN", "NNNN", "NNNN", "NNNN", "FFFF", "FFFF", "FFFF"]),
    ("POST", "/interventies/{id}/stap", ["LLLL", "ANNN", "NNAN", "NNNN", "NNNN", "NNNN", "FFFF", "FFFF", "FFFF"]),
    ("POST", "/interventies/{id}/gegevens", ["LLLL", "ANNN", "NNAN", "NNNN", "NNNN", "NNNN", "FFFF", "FFFF", "FFFF"]),
    ("POST", "/interventies/{id}/betrokkenen", ["LLLL", "ANNN", "NNAN", "NNNN", "NNNN", "NNNN", "FFFF", "FFFF", "FFFF"]),
    ("POST", "/interventies/{id}/verstrekkingen", ["LLLL", "ANNN", "NNAN", "NNNN", "NNNN", "NNNN", "FFFF", "FFFF", "FFFF"]),
    ("GET", "/api/v1/interventions", ["L", "A", "A", "A", "A", "A", "F", "F", "F"]),
    ("POST", "/api/v1/interventions", ["L", "A", "A", "F", "F", "F", "F", "F", "F"]),
    ("GET", "/api/v1/interventions/{id}", ["LLLL", "ANNN", "NNAN", "NNNN", "NNNN", "NNNN", "FFFF", "FFFF", "FFFF"]),
    ("POST", "/api/v1/interventions/{id}", ["LLLL", "ANNN", "NNAN", "NNNN", "NNNN", "NNNN", "FFFF", "FFFF", "FFFF"]),
    ("POST", "/api/v1/interventions/{id}/steps", ["LLLL", "ANNN", "NNAN", "NNNN", "NNNN", "NNNN", "FFFF", "FFFF", "FFFF"]),
    ("POST", "/api/v1/interventions/{id}/parties", ["LLLL", "ANNN", "NNAN", "NNNN", "NNNN", "NNNN", "FFFF", "FFFF", "FFFF"]),
    ("POST", "/api/v1/interventions/{id}/disclosures", ["LLLL", "ANNN", "NNAN", "NNNN", "NNNN", "NNNN", "FFFF", "FFFF", "FFFF"]),
    ("GET", "/api/v1/deadlines", ["L", "A", "A", "A", "A", "A", "F", "F", "F"]),
    ("GET", "/interventies/cijfers", ["L", "A", "A", "A", "A", "A", "A", "F", "F"]),
    ("GET", "/api/v1/interventions/figures", ["L", "A", "A", "A", "A", "A", "A", "F", "F"]),
    ("GET", "/api/v1/figures", ["L", "A", "A", "A", "A", "A", "A", "F", "F"]),
    ("POST", "/api/v1/published-figures", ["L", "A", "A", "F", "F", "F", "F", "F", "F"]),
    ("GET", "/rapportage", ["L", "A", "A", "A", "A", "A", "A", "F", "F"]),
    ("GET", "/rapportage/bestand", ["L", "A", "A", "A", "A", "A", "A", "F", "F"]),
    ("POST", "/interventies/{id}/barriere", ["LLLL", "AAAA", "FFFF", "FFFF", "FFFF", "FFFF", "FFFF", "FFFF", "FFFF"]),
    // Tagging a signal with a barrier: the analist; the empty form's barrier is refused as
    // no id before anything is looked up (the same answer for every signal).
    ("POST", "/signalen/{id}/barriere", ["LLLLLLLL", "AAAAAAAA", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF", "FFFFFFFF"]),
    ("POST", "/interventies/{id}/koppelingen", ["LLLL", "ANNN", "NNAN", "NNNN", "NNNN", "NNNN", "FFFF", "FFFF", "FFFF"]),
    ("POST", "/api/v1/interventions/{id}/links", ["LLLL", "ANNN", "NNAN", "NNNN", "NNNN", "NNNN", "FFFF", "FFFF", "FFFF"]),
    // Barrier models: the organisation's own (own, other organisation's model or barrier),
    // seen by the roles that handle content and the beheerder, installed and edited by the
    // beheerder, assessed by the analist. The API's tag request names an intervention that
    // does not exist: not found for whoever may tag.
    ("GET", "/barrieremodellen", ["L", "A", "A", "A", "A", "A", "F", "A", "F"]),
    ("POST", "/barrieremodellen", ["L", "F", "F", "F", "F", "F", "F", "A", "F"]),
    ("GET", "/barrieremodellen/{id}", ["LL", "AN", "AN", "AN", "AN", "AN", "FF", "AN", "FF"]),
    ("POST", "/barrieres/{id}/beoordeling", ["LL", "AA", "FF", "FF", "FF", "FF", "FF", "FF", "FF"]),
    ("POST", "/barrieres/{id}/tekst", ["LL", "FF", "FF", "FF", "FF", "FF", "FF", "AA", "FF"]),
    ("GET", "/api/v1/barrier-models", ["L", "A", "A", "A", "A", "A", "F", "A", "F"]),
    ("GET", "/api/v1/barrier-models/{id}", ["LL", "AN", "AN", "AN", "AN", "AN", "FF", "AN", "FF"]),
    ("POST", "/api/v1/barriers/{id}/assessments", ["LL", "AN", "FF", "FF", "FF", "FF", "FF", "FF", "FF"]),
    ("POST", "/api/v1/barriers/{id}/tags", ["LL", "NN", "FF", "FF", "FF", "FF", "FF", "FF", "FF"]),
    // Activities: the organisation's, seen by all but the beheerder, recorded by the analist.
    ("GET", "/activiteiten", ["L", "A", "A", "A", "A", "A", "A", "F", "F"]),
    ("POST", "/activiteiten", ["L", "A", "F", "F", "F", "F", "F", "F", "F"]),
    ("GET", "/api/v1/activities", ["L", "A", "A", "A", "A", "A", "A", "F", "F"]),
    ("POST", "/api/v1/activities", ["L", "A", "F", "F", "F", "F", "F", "F", "F"]),
    // The plan's commitments: read by the organisation (not the beheerder), changed by the
    // analist; status changes and links name a commitment that does not exist (the matrix
    // has none): not found for the analist.
    ("GET", "/toezeggingen", ["L", "A", "A", "A", "A", "A", "A", "F", "F"]),
    ("POST", "/toezeggingen", ["L", "A", "F", "F", "F", "F", "F", "F", "F"]),
    ("POST", "/toezeggingen/{id}/status", ["L", "N", "F", "F", "F", "F", "F", "F", "F"]),
    ("POST", "/toezeggingen/{id}/koppelingen", ["L", "N", "F", "F", "F", "F", "F", "F", "F"]),
    ("GET", "/api/v1/commitments", ["L", "A", "A", "A", "A", "A", "A", "F", "F"]),
    ("POST", "/api/v1/commitments", ["L", "A", "F", "F", "F", "F", "F", "F", "F"]),
    ("POST", "/api/v1/commitments/{id}/status-changes", ["L", "N", "F", "F", "F", "F", "F", "F", "F"]),
    ("POST", "/api/v1/commitments/{id}/links", ["L", "N", "F", "F", "F", "F", "F", "F", "F"]),
    ("POST", "/api/v1/cases/{id}/agenda-requests", ["LL", "AA", "AA", "AA", "AA", "AA", "FF", "FF", "FF"]),
    ("POST", "/api/v1/decisions/{id}/actions", ["LL", "AA", "AA", "AA", "AA", "AA", "FF", "FF", "FF"]),
    ("POST", "/api/v1/meetings", ["L", "A", "F", "F", "F", "F", "F", "F", "F"]),
    ("POST", "/api/v1/meetings/{id}/cases/{case}/decisions", ["LL", "AA", "AA", "AA", "AA", "AA", "FF", "FF", "FF"]),
    ("POST", "/api/v1/meetings/{id}/cases/{case}/disclosures", ["LL", "AA", "AA", "AA", "AA", "AA", "FF", "FF", "FF"]),
    ("POST", "/api/v1/meetings/{id}/cases/{case}/discussion", ["LL", "AA", "AA", "AA", "AA", "AA", "FF", "FF", "FF"]),
    ("POST", "/casussen/{id}/agenderen", ["LL", "AA", "AA", "AA", "AA", "AA", "FF", "FF", "FF"]),
    ("POST", "/overleggen/nieuw", ["L", "A", "F", "F", "F", "F", "F", "F", "F"]),
    ("POST", "/overleggen/{id}/besluiten/{decision}/acties", ["LL", "AN", "NN", "NN", "NN", "NN", "FF", "FF", "FF"]),
    ("POST", "/overleggen/{id}/casussen/{case}/besluit", ["LL", "AN", "NN", "NN", "NN", "NN", "FF", "FF", "FF"]),
    ("POST", "/overleggen/{id}/casussen/{case}/bespreking", ["LL", "AN", "NN", "NN", "NN", "NN", "FF", "FF", "FF"]),
    ("POST", "/overleggen/{id}/casussen/{case}/inbreng", ["LL", "AN", "NN", "NN", "NN", "NN", "FF", "FF", "FF"]),
];

/// The path parameter kind of a route.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    None,
    /// An account (administration).
    Account,
    /// A sharing agreement (administration).
    Agreement,
    Signal,
    Subject,
    Visit,
    Case,
    Meeting,
    Decision,
    Action,
    /// A 13b closure and a Bibob screening of each organisation.
    Intervention,
    /// A barrier model of each organisation.
    BarrierModel,
    /// A barrier (of those models).
    Barrier,
    Area,
}

fn target(path: &str) -> Target {
    if path.contains("/barrieremodellen/{id}") || path.contains("/barrier-models/{id}") {
        Target::BarrierModel
    } else if path.contains("/barrieres/{id}") || path.contains("/barriers/{id}") {
        Target::Barrier
    } else if path.contains("/interventies/{id}") || path.contains("/interventions/{id}") {
        Target::Intervention
    } else if path.contains("/overleggen/{id}") || path.contains("/meetings/{id}") {
        Target::Meeting
    } else if path.contains("/decisions/{id}") {
        Target::Decision
    } else if path.contains("/acties/{id}") || path.contains("/actions/{id}") {
        Target::Action
    } else if path.contains("/casussen/{id}") || path.contains("/cases/{id}") {
        Target::Case
    } else if path.contains("/signalen/{id}") || path.contains("/signals/{id}") {
        Target::Signal
    } else if path.contains("/betrokkenen/{id}")
        || path.contains("/dossiers/{id}")
        || path.contains("/inzage/{id}")
    {
        Target::Subject
    } else if path.contains("/veld/{id}") || path.contains("/visits/{id}") {
        Target::Visit
    } else if path.contains("/gebruikers/{id}") {
        Target::Account
    } else if path.contains("/convenanten/{id}") {
        Target::Agreement
    } else if path.contains("{code}") {
        Target::Area
    } else {
        Target::None
    }
}

/// The signals (and the subject each mentions) of organisation A and B, per classification.
struct World {
    signals: BTreeMap<(char, &'static str), (String, String)>,
    visits: BTreeMap<char, String>,
    cases: BTreeMap<char, String>,
    /// Per organisation: a meeting with its case on the agenda, a decision and an action.
    meetings: BTreeMap<char, (String, String, String)>,
    /// Per organisation: a 13b closure (its analist's) and a Bibob screening.
    interventions: BTreeMap<char, (String, String)>,
    /// Per organisation: a barrier model and its first barrier.
    barriers: BTreeMap<char, (String, String)>,
    /// An account only the administration routes act on.
    account: String,
    /// A sharing agreement (A–B).
    agreement: String,
}

async fn add_user(app: &TestApp, org: &str, email: &str, role: Role) {
    let org = app.store.organisation_by_name(org).await.unwrap().unwrap();
    app.store
        .create_user(
            &Actor::cli(),
            NewUser {
                org: org.id,
                email: email.into(),
                display_name: email.into(),
                roles: RoleSet::new([role]),
                password_hash: Some(password_hash().to_string()),
            },
            NOW,
        )
        .await
        .unwrap();
}

async fn world(app: &TestApp) -> World {
    add_user(app, "Gemeente A", "casustafel@a.test", Role::CasustafelLid).await;
    add_user(app, "Gemeente A", "auditor@a.test", Role::Auditor).await;
    add_user(app, "Politie B", "bibob@b.test", Role::BibobCoordinator).await;
    add_user(app, "Politie B", "toezicht@b.test", Role::Toezichthouder).await;
    crate::picture::import_cbs(app, "groningen-wijken-2014.geojson", AreaKind::Wijk).await;
    let mut signals = BTreeMap::new();
    for (org, analist, bibob) in [
        ('A', "analist@a.test", "bibob@a.test"),
        ('B', "analist@b.test", "bibob@b.test"),
    ] {
        for (n, classification) in CLASSIFICATIONS.iter().enumerate() {
            let by = if *classification == "bibob" {
                bibob
            } else {
                analist
            };
            let token = app.token(by).await;
            let mut body = signal_json(&format!("Matrix {org} {classification}"), "drugs");
            body["classification"] = (*classification).into();
            body["sharing"] = if *classification == "bibob" {
                "eigen-organisatie"
            } else {
                "convenant"
            }
            .into();
            body["subjects"] = serde_json::json!([{
                "kind": "persoon", "role": "bewoner",
                "name": format!("Piet Matrix{org}{n}"), "birthDate": format!("1970-01-0{}", n + 1)
            }]);
            let id = app.api_signal(&token, body).await;
            let json = app.get_json(&token, &format!("/api/v1/signals/{id}")).await;
            let subject = json["subjects"][0]["id"].as_str().unwrap().to_string();
            signals.insert((org, *classification), (id, subject));
        }
    }
    let mut visits = BTreeMap::new();
    for (org, email) in [('A', "toezicht@a.test"), ('B', "toezicht@b.test")] {
        let user = app.store.user_by_email(email).await.unwrap().unwrap();
        let caller = baken_core::Caller::for_user_handling_signals(&user, "test");
        let id = app
            .store
            .create_visit(
                &caller,
                baken_core::field::NewVisit {
                    kind: baken_core::field::VisitKind::Controle,
                    object: None,
                    location: Some("Industrieweg 1".into()),
                    area: None,
                    visited_on: time::macros::date!(2025 - 06 - 01),
                    answers: Vec::new(),
                    notes: None,
                    findings: vec!["Lege loods met stroomkabels".into()],
                },
                NOW,
            )
            .await
            .unwrap();
        visits.insert(org, id.to_string());
    }
    let mut cases = BTreeMap::new();
    for (org, analist) in [('A', "analist@a.test"), ('B', "analist@b.test")] {
        let token = app.token(analist).await;
        let response = reqwest::Client::new()
            .post(app.url("/api/v1/cases"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"title": format!("Matrix {org}"), "themes": ["drugs"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        let json: serde_json::Value = response.json().await.unwrap();
        cases.insert(org, json["id"].as_str().unwrap().to_string());
    }
    let mut meetings = BTreeMap::new();
    for (org, analist) in [('A', "analist@a.test"), ('B', "analist@b.test")] {
        let token = app.token(analist).await;
        let me = app.store.user_by_email(analist).await.unwrap().unwrap().id;
        let case = &cases[&org];
        let post = |path: String, body: serde_json::Value| {
            let token = token.clone();
            async move {
                let response = reqwest::Client::new()
                    .post(app.url(&path))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
                let json: serde_json::Value = response.json().await.unwrap();
                // A meeting answers with itself, the others with their id.
                json["id"]
                    .as_str()
                    .or(json["meeting"]["id"].as_str())
                    .unwrap()
                    .to_string()
            }
        };
        let meeting = post(
            "/api/v1/meetings".into(),
            serde_json::json!({"title": format!("Overleg {org}"), "heldOn": "2025-06-10", "cases": [case]}),
        )
        .await;
        let decision = post(
            format!("/api/v1/meetings/{meeting}/cases/{case}/decisions"),
            serde_json::json!({"approaches": ["bestuurlijk"], "decision": "Waarschuwing",
                "suitable": "g", "necessary": "n", "balanced": "e", "careConsidered": "nee",
                "careReason": "geen aanleiding", "notChosen": "sluiting"}),
        )
        .await;
        let action = post(
            format!("/api/v1/decisions/{decision}/actions"),
            serde_json::json!({"description": "Brief sturen", "ownerUser": me, "dueOn": "2025-06-20"}),
        )
        .await;
        meetings.insert(org, (meeting, decision, action));
    }
    let mut interventions = BTreeMap::new();
    for (org, analist, bibob) in [
        ('A', "analist@a.test", "bibob@a.test"),
        ('B', "analist@b.test", "bibob@b.test"),
    ] {
        let mut ids = Vec::new();
        for (by, kind) in [(analist, "sluiting-13b"), (bibob, "bibob")] {
            let token = app.token(by).await;
            let response = reqwest::Client::new()
                .post(app.url("/api/v1/interventions"))
                .bearer_auth(&token)
                .json(&serde_json::json!({"kind": kind, "title": format!("Matrix {org} {kind}")}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
            let json: serde_json::Value = response.json().await.unwrap();
            ids.push(json["id"].as_str().unwrap().to_string());
        }
        interventions.insert(org, (ids[0].clone(), ids[1].clone()));
    }
    add_user(app, "Politie B", "beheer@b.test", Role::Beheerder).await;
    let mut barriers = BTreeMap::new();
    for (org, email) in [('A', "beheer@a.test"), ('B', "beheer@b.test")] {
        let user = app.store.user_by_email(email).await.unwrap().unwrap();
        let caller = baken_core::Caller::for_user_handling_signals(&user, "test");
        let model = app
            .store
            .install_barrier_model(
                &caller,
                baken_core::barrier::BarrierTemplate::LabourMigrants,
                NOW,
            )
            .await
            .unwrap();
        let read = app.store.barrier_model(&caller, model, NOW).await.unwrap();
        let barrier = read.phases[0].barriers[0].id;
        barriers.insert(org, (model.to_string(), barrier.to_string()));
    }
    add_user(app, "Gemeente A", "doel@a.test", Role::Lezer).await;
    let account = app
        .store
        .user_by_email("doel@a.test")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let agreement = app.store.agreements().await.unwrap()[0].id.to_string();
    World {
        signals,
        visits,
        cases,
        meetings,
        interventions,
        barriers,
        account,
        agreement,
    }
}

/// The concrete paths for a route, in the order of its answer's letters.
fn paths(route: &Route, w: &World, own: char) -> Vec<String> {
    let other = if own == 'A' { 'B' } else { 'A' };
    let fill = |id: &str| {
        route
            .path
            .replace("{id}", id)
            .replace("{position}", "0")
            .replace("{code}", "WK001400")
    };
    let paths: Vec<String> = match target(&route.path) {
        Target::None | Target::Area => vec![fill("")],
        Target::Account => vec![fill(&w.account)],
        Target::Agreement => vec![fill(&w.agreement)],
        Target::Visit => [own, other].iter().map(|o| fill(&w.visits[o])).collect(),
        Target::Case => [own, other].iter().map(|o| fill(&w.cases[o])).collect(),
        Target::BarrierModel => [own, other]
            .iter()
            .map(|o| fill(&w.barriers[o].0))
            .collect(),
        Target::Barrier => [own, other]
            .iter()
            .map(|o| fill(&w.barriers[o].1))
            .collect(),
        Target::Intervention => [own, other]
            .iter()
            .map(|o| fill(&w.interventions[o].0))
            .chain([own, other].iter().map(|o| fill(&w.interventions[o].1)))
            .collect(),
        Target::Meeting => [own, other]
            .iter()
            .map(|o| {
                let (meeting, decision, _) = &w.meetings[o];
                fill(meeting)
                    .replace("{case}", &w.cases[o])
                    .replace("{decision}", decision)
            })
            .collect(),
        Target::Decision => [own, other]
            .iter()
            .map(|o| fill(&w.meetings[o].1))
            .collect(),
        Target::Action => [own, other]
            .iter()
            .map(|o| fill(&w.meetings[o].2))
            .collect(),
        t @ (Target::Signal | Target::Subject) => [own, other]
            .iter()
            .flat_map(|o| CLASSIFICATIONS.iter().map(move |c| (*o, *c)))
            .map(|key| {
                let (signal, subject) = &w.signals[&key];
                fill(if t == Target::Signal { signal } else { subject })
            })
            .collect(),
    };
    for path in &paths {
        assert!(
            !path.contains('{'),
            "{path}: a path parameter the matrix does not know how to fill"
        );
    }
    paths
}

/// The CSRF token of a page that makes its own (the login page, the public form).
async fn page_csrf(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let page = client.get(app.url(path)).send().await.unwrap();
    TestApp::csrf_of(&page.text().await.unwrap())
}

/// The form a UI route is posted with: only the CSRF token, or for routes that read ids
/// before they check anything, ids that make the request reach the check.
fn form_of(route: &Route, path: &str, csrf: String) -> Vec<(&'static str, String)> {
    let mut form = vec![("csrf", csrf)];
    if route.path.starts_with("/acties/") {
        form.push(("status", "afgerond".into()));
    } else if route.path.ends_with("/status") {
        form.extend([("status", "in-triage".into()), ("reason", "matrix".into())]);
    }
    if route.path.ends_with("/toewijzing") {
        form.extend([("team", "Team Matrix".into()), ("reason", "matrix".into())]);
    }
    if route.path.ends_with("/oordeel") {
        // A judgement of a mention with itself, without a reason: refused as incomplete.
        let mention = path.split('/').nth(2).unwrap_or_default().to_string();
        form.extend([
            ("links", mention.clone()),
            ("rechts", mention),
            ("oordeel", "niet-dezelfde".into()),
        ]);
    }
    form
}

async fn answer(
    app: &TestApp,
    route: &Route,
    path: &str,
    (caller, session): (u8, Option<&(reqwest::Client, String, String)>),
) -> char {
    let api = route.path.starts_with("/api/");
    let client = match session {
        Some((browser, _, _)) if !api => browser.clone(),
        _ => app.browser(),
    };
    let session_csrf = session.map(|s| s.1.clone()).unwrap_or_default();
    let mut request = match (route.verb, api, route.path.as_str()) {
        (Verb::Get, _, _) => client.get(app.url(path)),
        // Valid requests, so that what answers is access control, not the body's parser.
        (Verb::Post, true, p) if p.ends_with("/cases/{id}/status-changes") => client
            .post(app.url(path))
            .json(&serde_json::json!({"status": "in-behandeling", "reason": "matrix"})),
        (Verb::Post, true, p) if p.ends_with("/actions/{id}/status-changes") => client
            .post(app.url(path))
            .json(&serde_json::json!({"status": "afgerond"})),
        (Verb::Post, true, p) if p.ends_with("/status-changes") => client
            .post(app.url(path))
            .json(&serde_json::json!({"status": "in-triage", "reason": "matrix"})),
        (Verb::Post, true, p) if p.ends_with("/assignments") => client
            .post(app.url(path))
            .json(&serde_json::json!({"team": "Team Matrix", "reason": "matrix"})),
        (Verb::Post, true, p) if p.ends_with("/interventions/{id}/links") => client
            .post(app.url(path))
            .json(&serde_json::json!({"signal": uuid::Uuid::nil()})),
        (Verb::Post, true, p) if p.ends_with("/barriers/{id}/assessments") => client
            .post(app.url(path))
            .json(&serde_json::json!({"status": "niet"})),
        (Verb::Post, true, p) if p.ends_with("/barriers/{id}/tags") => client
            .post(app.url(path))
            .json(&serde_json::json!({"intervention": uuid::Uuid::nil()})),
        (Verb::Post, true, p) if p.ends_with("/interventions/{id}/steps") => client
            .post(app.url(path))
            .json(&serde_json::json!({"step": "matrix", "on": "2025-06-01"})),
        (Verb::Post, true, p) if p.ends_with("/interventions/{id}/parties") => client
            .post(app.url(path))
            .json(&serde_json::json!({"name": "Matrix", "role": "eigenaar"})),
        (Verb::Post, true, p) if p.ends_with("/interventions/{id}/disclosures") => {
            client.post(app.url(path)).json(
                &serde_json::json!({"exception": "riec", "recipient": "RIEC", "reason": "matrix"}),
            )
        }
        (Verb::Post, true, _) => client.post(app.url(path)).json(&serde_json::json!({})),
        // An upload carries its token as the first field, then the file.
        (Verb::Post, false, "/import") => client.post(app.url("/import")).multipart(
            reqwest::multipart::Form::new()
                .text("csrf", session_csrf.to_string())
                .text("mode", "controle"),
        ),
        // The public form takes five reports per address per ten minutes: each caller posts
        // from an address of its own on the loopback network (127.0.0.11, .12, …).
        (Verb::Post, false, "/melden") => {
            let reporter = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .local_address(std::net::IpAddr::from([127, 0, 0, 11 + caller]))
                .build()
                .unwrap();
            let csrf = page_csrf(app, &reporter, "/melden").await;
            reporter
                .post(app.url(path))
                .form(&form_of(route, path, csrf))
        }
        (Verb::Post, false, "/inloggen") => {
            let csrf = page_csrf(app, &client, "/inloggen").await;
            client.post(app.url(path)).form(&form_of(route, path, csrf))
        }
        (Verb::Post, false, _) => {
            client
                .post(app.url(path))
                .form(&form_of(route, path, session_csrf))
        }
    };
    if let (true, Some((_, _, token))) = (api, session) {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_string);
    outcome(response.status().as_u16(), location.as_deref())
}

async fn every_route_answers_every_role_as_the_matrix_says(app: &TestApp) {
    let w = world(app).await;
    let mut table = baken_web::route_table();
    // Logging out ends the session the other requests use: last.
    table.sort_by_key(|r| (r.path == "/uitloggen", r.path.clone(), r.verb));
    let served: BTreeSet<(String, String)> = table
        .iter()
        .map(|r| (r.verb.as_str().to_string(), r.path.clone()))
        .collect();
    let listed: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|(v, p, _)| (v.to_string(), p.to_string()))
        .collect();
    let mut observed = BTreeMap::new();
    for (caller, (label, who)) in (0u8..).zip(WHO) {
        let session = match who {
            Some((_, email)) => {
                let browser = app.login(email).await;
                let csrf = app.session_csrf(&browser).await;
                Some((browser, csrf, app.token(email).await))
            }
            None => None,
        };
        let own = if matches!(who, Some((Role::Partner, _))) {
            'B'
        } else {
            'A'
        };
        for route in &table {
            let mut letters = String::new();
            for path in paths(route, &w, own) {
                letters.push(answer(app, route, &path, (caller, session.as_ref())).await);
            }
            observed
                .entry((route.verb.as_str(), route.path.clone()))
                .or_insert_with(BTreeMap::new)
                .insert(label, letters);
        }
    }
    let mut wrong = Vec::new();
    for ((verb, path), answers) in &observed {
        let row: Vec<String> = WHO
            .iter()
            .map(|(label, _)| format!("{:?}", answers[label]))
            .collect();
        let written = format!("    (\"{verb}\", \"{path}\", [{}]),", row.join(", "));
        match MATRIX.iter().find(|(v, p, _)| v == verb && p == path) {
            Some((_, _, expected)) => {
                for ((label, _), expected) in WHO.iter().zip(expected) {
                    if answers[label] != *expected {
                        wrong.push(format!(
                            "{verb} {path} as {label}: expected {expected}, got {}",
                            answers[label]
                        ));
                    }
                }
            }
            None => wrong.push(format!("no row in MATRIX for a served route:\n{written}")),
        }
    }
    for gone in listed.difference(&served) {
        wrong.push(format!("a row in MATRIX for a route not served: {gone:?}"));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
