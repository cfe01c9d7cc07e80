-- Identifiers have no near-miss spellings (issue 13; `text::is_identifier`): a word with a
-- digit (a licence plate, a postcode, a KvK or house number) one character off is another
-- vehicle, address or company. They are kept under the empty head, which no search looks up:
-- at a million signals they are nearly the whole vocabulary, and a search for a frequent word
-- read tens of thousands of them to compare each with the word.
UPDATE signal_term SET head = '' WHERE term GLOB '*[0-9]*';
