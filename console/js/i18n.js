// The console's words in English, French, Dutch and German. The dictionaries are generated from the
// server's message catalogue (config/locale/*.po) into ./strings.js: edit the .po files, never strings.js
// (console/README.md, "Adding a string"). The seeds' terms (« À finaliser », « En attente », « Refusé »)
// and the glossary's Dutch and German ones: config/locale/GLOSSARY.md.
// First choice: the browser's languages (navigator.languages); the person's choice is remembered in localStorage.

import { STRINGS } from './strings.js';

const KEY = 'mandates.lang';

export const LANGUAGES = [['en', 'English'], ['fr', 'Français'], ['nl', 'Nederlands'], ['de', 'Deutsch']];
const LOCALES = { en: 'en-GB', fr: 'fr-BE', nl: 'nl-BE', de: 'de-BE' }; // dates as written in Belgium
const EN = STRINGS.en;

/** The first language the browser asks for that the console speaks (`nl-BE` is `nl`), else English. */
function fromBrowser() {
  const asked = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''])
    .map((tag) => String(tag).toLowerCase().split('-')[0]);
  return asked.find((code) => STRINGS[code]) || 'en';
}

const remembered = localStorage.getItem(KEY);
let current = STRINGS[remembered] ? remembered : fromBrowser();

export function lang() {
  return current;
}

export function setLang(value) {
  if (!STRINGS[value]) return;
  current = value;
  localStorage.setItem(KEY, value);
  document.documentElement.lang = value;
}

/** The text of `key` in the current language, with {placeholders} filled from `values`. */
export function t(key, values = {}) {
  const text = STRINGS[current][key] ?? EN[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

export function count(n, key) {
  if (n === 0 && STRINGS[current][`${key}.none`]) return t(`${key}.none`);
  return n === 1 ? t(`${key}.one`) : t(`${key}.many`, { n });
}

/** A name given in French, Dutch and German (`names`: { fr, nl, de }, each null when not given) in the
 * console's language; `fallback` (the English name) when there is none in it. */
export function localised(names, fallback) {
  return (names && names[current]) || fallback;
}

export function groupName(group) {
  return localised({ fr: group.nameFr, nl: group.nameNl, de: group.nameDe }, group.name);
}

export function dateText(value) {
  if (!value) return '';
  const date = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  return new Intl.DateTimeFormat(LOCALES[current], { dateStyle: 'medium' }).format(date);
}

export function dateTimeText(value) {
  if (!value) return '';
  return new Intl.DateTimeFormat(LOCALES[current], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Brussels' })
    .format(new Date(value));
}
