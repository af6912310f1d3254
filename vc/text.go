package vc

// textValue checks a name or description (VC 2.0 §4.6): a string, a language value object, or
// a non-empty array of language value objects (one per language).
func textValue(v any, path string) error {
	switch v := v.(type) {
	case string:
		return nil
	case map[string]any:
		return languageValue(v, path)
	case []any:
		if len(v) == 0 {
			return malformed(path, "must be a string or language value objects")
		}
		for i, item := range v {
			m, ok := item.(map[string]any)
			if !ok {
				return malformed(at(path, i), "must be a language value object")
			}
			if err := languageValue(m, at(path, i)); err != nil {
				return err
			}
		}
		return nil
	default:
		return malformed(path, "must be a string or a language value object")
	}
}

// languageValue checks a language value object (VC 2.0 §11.1): "the object MUST contain a
// @value property whose value is a string … The language value object MUST NOT include any
// other keys beyond @value, @language, and @direction". @language must be a string and
// @direction "ltr" or "rtl", as JSON-LD 1.1 §9.7 requires of value objects.
func languageValue(m map[string]any, path string) error {
	if _, ok := m["@value"].(string); !ok {
		return malformed(at(path, "@value"), "a language value object needs a string @value")
	}
	for k, v := range m {
		switch k {
		case "@value":
		case "@language":
			if s, ok := v.(string); !ok || s == "" {
				return malformed(at(path, k), "@language must be a language tag")
			}
		case "@direction":
			if v != "ltr" && v != "rtl" {
				return malformed(at(path, k), `@direction must be "ltr" or "rtl"`)
			}
		default:
			return malformed(at(path, k), "a language value object has only @value, @language and @direction")
		}
	}
	return nil
}

// optionalText checks the name and description members of m.
func optionalText(m map[string]any, path string) error {
	for _, k := range []string{"name", "description"} {
		if v, ok := m[k]; ok {
			if err := textValue(v, at(path, k)); err != nil {
				return err
			}
		}
	}
	return nil
}
