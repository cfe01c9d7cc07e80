//! The verwijsindex (hit/no-hit, issue 18, pt 5): under an agreement with a contact point, a
//! party learns which other parties hold information about a person, organisation, address
//! or vehicle — the same subject, by its canonical form, in one of their signals outside Bibob
//! whose every theme the agreement covers — and whom to contact, never what it is. The query
//! (as a keyed hash) and each hit are audited on both sides.

use super::*;
use crate::Referral;
use baken_core::subject::NewSubject;

#[async_trait]
impl crate::ReferralStore for EngineStore {
    async fn referrals(
        &self,
        caller: &Caller,
        subject: &NewSubject,
        now: OffsetDateTime,
    ) -> Result<Vec<Referral>> {
        if !caller.may_search_referrals() {
            return Err(StoreError::Forbidden(Denied::Referrals));
        }
        let today = date(local_date(now));
        let org = caller.org().to_string();
        let tx = self.read(caller, now).await?;
        let mut tx = tx;
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT a.id, a.referral_contact, p.org_id, o.name FROM sharing_agreement a \
             JOIN sharing_agreement_effective e ON e.id = a.id \
             JOIN agreement_party mine ON mine.agreement_id = a.id AND mine.org_id = $1 \
             JOIN agreement_party p ON p.agreement_id = a.id AND p.org_id <> $1 \
             JOIN organisation o ON o.id = p.org_id \
             WHERE a.referral_contact IS NOT NULL AND e.valid_from <= $2 \
             AND (e.valid_until IS NULL OR e.valid_until >= $2) \
             AND EXISTS (SELECT 1 FROM subject x JOIN signal_subject ss ON ss.subject_id = x.id \
                 JOIN signal s ON s.id = ss.signal_id \
                 WHERE x.kind = $3 AND x.normalised = $4 AND x.owner_org = p.org_id \
                 AND s.owner_org = p.org_id AND s.classification <> $5 \
                 AND NOT EXISTS (SELECT 1 FROM signal_theme st WHERE st.signal_id = s.id \
                     AND st.theme NOT IN (SELECT t.theme FROM agreement_theme t \
                                          WHERE t.agreement_id = a.id))) \
             ORDER BY o.name, a.id",
        )
        .bind(&org)
        .bind(&today)
        .bind(subject.kind.slug())
        .bind(&subject.normalised)
        .bind(Classification::Bibob.slug())
        .fetch_all(&mut **tx)
        .await?;
        let mut hits: Vec<(String, Referral)> = Vec::new();
        for (agreement, contact, holder, name) in rows {
            let holder_id = parse_uuid(&holder)?;
            if hits.iter().any(|(_, h)| h.organisation == holder_id) {
                continue;
            }
            hits.push((
                agreement,
                Referral {
                    organisation: holder_id,
                    organisation_name: name,
                    contact,
                },
            ));
        }
        // The query is kept as a keyed hash: the same search can be recognised, not read.
        let query = self
            .audit_key
            .as_ref()
            .map(|k| {
                k.mac(
                    format!(
                        "baken-referral-v1\0{}\0{}",
                        subject.kind.slug(),
                        subject.normalised
                    )
                    .as_bytes(),
                )
            })
            .unwrap_or_default();
        let query = query.get(..16).unwrap_or_default().to_string();
        let event = AuditRecord::success(
            AuditAction::ReferralSearch,
            ObjectKind::Subject,
            None,
            format!(
                "kind={} hits={} query={query}",
                subject.kind.slug(),
                hits.len()
            ),
        );
        tx.finish(event).await?;
        // The holding side: each hit, with who asked under which agreement.
        let process = Actor::System {
            process: "verwijsindex".into(),
        };
        for (agreement, hit) in &hits {
            let event = AuditRecord::success(
                AuditAction::ReferralHit,
                ObjectKind::Organisation,
                Some(hit.organisation.to_string()),
                format!(
                    "asked-by-org={org} asked-by-user={} agreement={agreement} query={query}",
                    caller.user()
                ),
            );
            self.record_event(&process, event, now).await?;
        }
        Ok(hits.into_iter().map(|(_, h)| h).collect())
    }
}
