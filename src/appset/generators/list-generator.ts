// The list generator (applicationset/generators/list.go): one parameter set
// per element of `elements`, then one per item of `elementsYaml` (a YAML list
// of maps, usually rendered from a matrix's first generator). With Go
// templates an element is used as is; with fasttemplate its values must be
// strings, and a `values` map becomes `values.<key>` parameters.
import type { ListGenerator } from '../../api/application-set.ts';
import { describeJsonType, isPlainObject, parseYamlObjectList } from './go-yaml.ts';
import { cloneJson, type ParamSet } from './param-merge.ts';

function flatElement(element: Record<string, unknown>, index: number): ParamSet {
  const params: ParamSet = {};
  for (const [key, value] of Object.entries(element)) {
    if (key === 'values') {
      if (!isPlainObject(value)) throw new Error(`elements[${index}].values is ${describeJsonType(value)}, not a map`);
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') throw new Error(`elements[${index}].values.${k} is ${describeJsonType(v)}: without goTemplate, list values must be strings`);
        params[`values.${k}`] = v;
      }
    } else {
      if (typeof value !== 'string') throw new Error(`elements[${index}].${key} is ${describeJsonType(value)}: without goTemplate, list values must be strings`);
      params[key] = value;
    }
  }
  return params;
}

export function listParams(gen: ListGenerator, goTemplate: boolean): ParamSet[] {
  if (gen.elements !== undefined && !Array.isArray(gen.elements)) {
    throw new Error(`elements must be a list of maps, not ${describeJsonType(gen.elements)}${typeof gen.elements === 'string'
      ? ' (to build elements from another generator\'s parameters, render them into elementsYaml)' : ''}`);
  }
  const res = (gen.elements ?? []).map((element, i): ParamSet => {
    if (!isPlainObject(element)) throw new Error(`elements[${i}] is ${describeJsonType(element)}, not a map`);
    // A fresh copy per generation, as json.Unmarshal gives Argo CD (merges later mutate parameter maps).
    return goTemplate ? cloneJson(element) : flatElement(element, i);
  });
  if (gen.elementsYaml) {
    try {
      res.push(...parseYamlObjectList(gen.elementsYaml, 'elementsYaml'));
    } catch (err) {
      throw new Error(`error unmarshling decoded ElementsYaml: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return res;
}
