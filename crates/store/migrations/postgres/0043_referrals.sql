-- Hit/no-hit (issue 18, pt 5): an agreement may let its parties learn that another party
-- holds information about a person, organisation, address or vehicle, and whom to contact
-- (this contact point) — never what it is. Set when the agreement is made, like the rest of it.
ALTER TABLE sharing_agreement ADD COLUMN referral_contact TEXT;
