// The renderer's pure helpers, in Node (the DOM-building parts run in Chromium, page.test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFhirDate, formatTime, codeSystemName } from '../src/shared/render.js';

test('FHIR dates keep their precision, in the reader language', () => {
  assert.equal(formatFhirDate('2020', 'en'), '2020');
  assert.equal(formatFhirDate('2020-03', 'en'), 'March 2020');
  assert.equal(formatFhirDate('2020-03', 'de'), 'März 2020');
  assert.equal(formatFhirDate('2020-04-14', 'en'), 'April 14, 2020');
  assert.equal(formatFhirDate('2020-04-14', 'fr'), '14 avril 2020');
  assert.match(formatFhirDate('2020-04-14T10:30:00Z', 'en'), /April 14, 2020/);
  // Not a date: unchanged text (still shown, never dropped).
  assert.equal(formatFhirDate('<b>soon</b>', 'en'), '<b>soon</b>');
  assert.equal(formatFhirDate('2020-13-45', 'en'), '2020-13-45');
});

test('POSIX times and code systems', () => {
  assert.equal(formatTime(1794787200, 'en'), 'November 16, 2026 at 12:00 AM UTC');
  assert.equal(formatTime(null, 'en'), '');
  assert.equal(codeSystemName('http://snomed.info/sct'), 'SNOMED CT');
  assert.equal(codeSystemName('http://loinc.org'), 'LOINC');
  assert.equal(codeSystemName('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical'), 'HL7 allergyintolerance-clinical');
  assert.equal(codeSystemName('urn:oid:1.2.3'), 'urn:oid:1.2.3');
});
