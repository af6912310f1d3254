package compliance

import "github.com/kakunin-dev/kakunin/vc/internal/claims"

func parseAIAct(v any, path string) (EUAIAct, error) {
	o, err := claims.AsObject(v, path, "articles", "riskClass", "annexIIIArea", "humanOversight", "article12Logging")
	if err != nil {
		return EUAIAct{}, err
	}
	var a EUAIAct
	if a.Articles, err = articles(o); err != nil {
		return EUAIAct{}, err
	}
	if a.RiskClass, err = enum(o, "riskClass", true, "high", "limited", "minimal"); err != nil {
		return EUAIAct{}, err
	}
	if a.AnnexIIIArea, err = o.Str("annexIIIArea", false, 8); err != nil {
		return EUAIAct{}, err
	}
	switch {
	case a.AnnexIIIArea != "" && a.RiskClass != "high":
		return EUAIAct{}, claims.Malformed(claims.At(path, "annexIIIArea"), nil, "an Annex III area makes the system high-risk; riskClass must be high")
	case a.AnnexIIIArea != "" && !annexIIIArea.MatchString(a.AnnexIIIArea):
		return EUAIAct{}, claims.Malformed(claims.At(path, "annexIIIArea"), nil, `must be an Annex III point 1 to 8, optionally with a letter, such as "5(b)"`)
	}
	if a.HumanOversight, err = enum(o, "humanOversight", a.RiskClass == "high", "human-in-the-loop", "human-on-the-loop", "human-in-command"); err != nil {
		return EUAIAct{}, err
	}
	a.Article12Logging, err = o.Boolean("article12Logging", true)
	return a, err
}

func parseMiCA(v any, path string) (MiCA, error) {
	o, err := claims.AsObject(v, path, "articles", "controls")
	if err != nil {
		return MiCA{}, err
	}
	var m MiCA
	if m.Articles, err = articles(o); err != nil {
		return MiCA{}, err
	}
	m.Controls, err = enums(o, "controls", true, MiCAControls...)
	return m, err
}

func parseGDPR(v any, path string) (GDPR, error) {
	o, err := claims.AsObject(v, path, "articles", "automatedDecisions", "legalBasis", "safeguards")
	if err != nil {
		return GDPR{}, err
	}
	var g GDPR
	if g.Articles, err = articles(o); err != nil {
		return GDPR{}, err
	}
	if g.AutomatedDecisions, err = o.Boolean("automatedDecisions", true); err != nil {
		return GDPR{}, err
	}
	if g.LegalBasis, err = enum(o, "legalBasis", g.AutomatedDecisions, "contract", "law", "explicit-consent"); err != nil {
		return GDPR{}, err
	}
	if g.LegalBasis != "" && !g.AutomatedDecisions {
		return GDPR{}, claims.Malformed(claims.At(path, "legalBasis"), nil, "an Art. 22(2) basis is named only for automated decisions")
	}
	g.Safeguards, err = enums(o, "safeguards", false, "human-intervention", "express-point-of-view", "contest-decision")
	return g, err
}

func parseDORA(v any, path string) (DORA, error) {
	o, err := claims.AsObject(v, path, "articles", "ictRiskManagement", "incidentLogging")
	if err != nil {
		return DORA{}, err
	}
	var d DORA
	if d.Articles, err = articles(o); err != nil {
		return DORA{}, err
	}
	if d.ICTRiskManagement, err = o.Boolean("ictRiskManagement", true); err != nil {
		return DORA{}, err
	}
	d.IncidentLogging, err = o.Boolean("incidentLogging", true)
	return d, err
}
