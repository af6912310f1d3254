package compliance

func parseAIAct(v any, path string) (EUAIAct, error) {
	o, err := asObject(v, path, "articles", "riskClass", "annexIIIArea", "humanOversight", "article12Logging")
	if err != nil {
		return EUAIAct{}, err
	}
	var a EUAIAct
	if a.Articles, err = articles(o); err != nil {
		return EUAIAct{}, err
	}
	if a.RiskClass, err = o.enum("riskClass", true, "high", "limited", "minimal"); err != nil {
		return EUAIAct{}, err
	}
	if a.AnnexIIIArea, err = o.str("annexIIIArea", false, 8); err != nil {
		return EUAIAct{}, err
	}
	switch {
	case a.AnnexIIIArea != "" && a.RiskClass != "high":
		return EUAIAct{}, malformed(at(path, "annexIIIArea"), nil, "an Annex III area makes the system high-risk; riskClass must be high")
	case a.AnnexIIIArea != "" && !annexIIIArea.MatchString(a.AnnexIIIArea):
		return EUAIAct{}, malformed(at(path, "annexIIIArea"), nil, `must be an Annex III point 1 to 8, optionally with a letter, such as "5(b)"`)
	}
	if a.HumanOversight, err = o.enum("humanOversight", a.RiskClass == "high", "human-in-the-loop", "human-on-the-loop", "human-in-command"); err != nil {
		return EUAIAct{}, err
	}
	a.Article12Logging, err = o.boolean("article12Logging", true)
	return a, err
}

func parseMiCA(v any, path string) (MiCA, error) {
	o, err := asObject(v, path, "articles", "controls")
	if err != nil {
		return MiCA{}, err
	}
	var m MiCA
	if m.Articles, err = articles(o); err != nil {
		return MiCA{}, err
	}
	m.Controls, err = o.enums("controls", true, MiCAControls...)
	return m, err
}

func parseGDPR(v any, path string) (GDPR, error) {
	o, err := asObject(v, path, "articles", "automatedDecisions", "legalBasis", "safeguards")
	if err != nil {
		return GDPR{}, err
	}
	var g GDPR
	if g.Articles, err = articles(o); err != nil {
		return GDPR{}, err
	}
	if g.AutomatedDecisions, err = o.boolean("automatedDecisions", true); err != nil {
		return GDPR{}, err
	}
	if g.LegalBasis, err = o.enum("legalBasis", g.AutomatedDecisions, "contract", "law", "explicit-consent"); err != nil {
		return GDPR{}, err
	}
	if g.LegalBasis != "" && !g.AutomatedDecisions {
		return GDPR{}, malformed(at(path, "legalBasis"), nil, "an Art. 22(2) basis is named only for automated decisions")
	}
	g.Safeguards, err = o.enums("safeguards", false, "human-intervention", "express-point-of-view", "contest-decision")
	return g, err
}

func parseDORA(v any, path string) (DORA, error) {
	o, err := asObject(v, path, "articles", "ictRiskManagement", "incidentLogging")
	if err != nil {
		return DORA{}, err
	}
	var d DORA
	if d.Articles, err = articles(o); err != nil {
		return DORA{}, err
	}
	if d.ICTRiskManagement, err = o.boolean("ictRiskManagement", true); err != nil {
		return DORA{}, err
	}
	d.IncidentLogging, err = o.boolean("incidentLogging", true)
	return d, err
}
