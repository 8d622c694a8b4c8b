/**
 * The JSON mutator and key functions' JavaScript (emulator/bigquery/native/json-calls.ts, json-edit.ts, json-keys.ts)
 * against ZetaSQL's compliance cases (compliance/functions_testlib_json.cc: GetFunctionTestsJsonRemove,
 * GetFunctionTestsJsonStripNulls, GetFunctionTestsJsonKeys) and the header examples of public/functions/json.h.
 */
import { describe, expect, it } from 'vitest';
import { editJson, jsonKeys, jsonStripNulls } from '@gradeguard/bigquery-emulator/testing';

const DOC = '{"a": 10, "b": [true, ["foo", null, "bar"], {"c": [20]}]}';
const remove = (json: string | null, ...paths: Array<string | null>) => editJson({ fn: 'JSON_REMOVE', json, jsonType: 'JSON', paths, values: [], valueIsArray: [], option: null });
const set = (json: string, path: string, value: string, option = true) => editJson({ fn: 'JSON_SET', json, jsonType: 'JSON', paths: [path], values: [value], valueIsArray: [false], option });

describe('JSON_REMOVE', () => {
  it('removes members and elements, ignores missing paths, in order', () => {
    expect(remove(DOC, '$.b[2].c[0]')).toBe('{"a":10,"b":[true,["foo",null,"bar"],{"c":[]}]}');
    expect(remove(DOC, '$.a', '$.b[0]', '$.b[0][1]')).toBe('{"b":[["foo","bar"],{"c":[20]}]}');
    expect(remove(DOC, '$.b.a[0]', '$.b[4].c', '$.a[0].b')).toBe('{"a":10,"b":[true,["foo",null,"bar"],{"c":[20]}]}');
  });
  it('checks every path, even of a NULL value', () => {
    expect(() => remove(null, null, '$$')).toThrow('Invalid input to JSON_REMOVE: Invalid token in JSONPath at: $');
    expect(() => remove('{"a": 10}', '$')).toThrow("The JSONPath cannot be '$'");
    expect(remove(null, '$')).toBeNull();
  });
});

describe('JSON_SET', () => {
  it('creates what is missing, as json.h documents', () => {
    expect(set('{"a": {}}', '$.a.b.c', '2')).toBe('{"a":{"b":{"c":2}}}');
    expect(set('{"a": []}', '$.a[2].b', '2')).toBe('{"a":[null,null,{"b":2}]}');
    expect(set('{"a": null}', '$.a[2]', '3')).toBe('{"a":[null,null,3]}');
    expect(set('{"a": [1]}', '$.a.b', '2')).toBe('{"a":[1]}');
    expect(set('{"a": {}}', '$.a.b', '2', false)).toBe('{"a":{}}');
  });
});

describe('JSON_STRIP_NULLS', () => {
  const simple = '{"a":null, "b":1, "c":[null, true], "d":{}, "e":[null], "f":[]}';
  it('by its two options', () => {
    expect(jsonStripNulls(simple, 'JSON', '$', false, false)).toBe('{"b":1,"c":[null,true],"d":{},"e":[null],"f":[]}');
    expect(jsonStripNulls(simple, 'JSON', '$', true, false)).toBe('{"b":1,"c":[true],"d":{},"e":[],"f":[]}');
    expect(jsonStripNulls(simple, 'JSON', '$', false, true)).toBe('{"b":1,"c":[null,true],"e":[null],"f":[]}');
    expect(jsonStripNulls(simple, 'JSON', '$', true, true)).toBe('{"b":1,"c":[true]}');
  });
  it('below a path, which may end up a JSON null', () => {
    const complex = '{"a": {"b":null, "c":null, "d":[[null], null]}, "e":null}';
    expect(jsonStripNulls(complex, 'JSON', '$.a.d', true, false)).toBe('{"a":{"b":null,"c":null,"d":[[]]},"e":null}');
    expect(jsonStripNulls(complex, 'JSON', '$.a', true, true)).toBe('{"a":null,"e":null}');
    expect(jsonStripNulls(complex, 'JSON', '$.a.d[2]', true, true)).toBe('{"a":{"b":null,"c":null,"d":[[null],null]},"e":null}');
  });
});

describe('JSON_KEYS', () => {
  it('counts depth by objects only, and escapes keys with dots', () => {
    expect(jsonKeys('{"a":[{"b":1}]}', 'JSON', 2n, 'lax')).toEqual(['a', 'a.b']);
    expect(jsonKeys('{"a.b": {"c": 1}}', 'JSON', null, 'strict')).toEqual(['"a.b"', '"a.b".c']);
    expect(() => jsonKeys('{}', 'JSON', 0n, 'strict')).toThrow('max_depth must be positive.');
    expect(jsonKeys('{}', 'JSON', null, null)).toBeNull();
  });
});
