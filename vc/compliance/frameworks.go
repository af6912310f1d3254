package compliance

import (
	"regexp"

	"github.com/kakunin-dev/kakunin/vc/internal/claims"
)

// Frameworks are the regulatory frameworks the deployment was assessed against; at least one
// is present.
type Frameworks struct {
	EUAIAct *EUAIAct
	MiCA    *MiCA
	GDPR    *GDPR
	DORA    *DORA
}

// EUAIAct is an assessment under Regulation (EU) 2024/1689 (the AI Act).
type EUAIAct struct {
	Articles []string
	// RiskClass is "high" (Art. 6), "limited" (transparency obligations, Art. 50) or "minimal".
	RiskClass string
	// AnnexIIIArea is the Annex III point, such as "5(b)", when the system is high-risk under
	// Art. 6(2); "" otherwise.
	AnnexIIIArea string
	// HumanOversight is the Art. 14 arrangement: "human-in-the-loop", "human-on-the-loop" or
	// "human-in-command". Required for high-risk systems.
	HumanOversight string
	// Article12Logging says whether events are recorded automatically over the system's
	// lifetime (Art. 12 record-keeping).
	Article12Logging bool
}

// MiCA is an assessment under Regulation (EU) 2023/1114 (Markets in Crypto-Assets).
type MiCA struct {
	Articles []string
	// Controls in place, among MiCAControls.
	Controls []string
}

// MiCAControls are the control names a MiCA assessment may list.
var MiCAControls = []string{
	"conflicts-of-interest",     // Art. 72: identify, prevent, manage and disclose conflicts
	"order-thresholds",          // Art. 76: reject orders over volume and price thresholds
	"trading-halt",              // Art. 76: halt or constrain trading (circuit breaker, kill switch)
	"market-abuse-surveillance", // Art. 92: prevent and detect market abuse
	"business-continuity",
	"record-keeping",
}

// GDPR is an assessment under Regulation (EU) 2016/679, Art. 22 (automated individual
// decision-making).
type GDPR struct {
	Articles []string
	// AutomatedDecisions says whether the agent takes decisions based solely on automated
	// processing that produce legal or similarly significant effects (Art. 22(1)).
	AutomatedDecisions bool
	// LegalBasis is the Art. 22(2) exception relied on: "contract" (a), "law" (b) or
	// "explicit-consent" (c). Present exactly when AutomatedDecisions is true.
	LegalBasis string
	// Safeguards are the Art. 22(3) measures: "human-intervention", "express-point-of-view",
	// "contest-decision".
	Safeguards []string
}

// DORA is an assessment under Regulation (EU) 2022/2554 (Digital Operational Resilience Act).
type DORA struct {
	Articles []string
	// ICTRiskManagement: the deployment is covered by the ICT risk-management framework (Art. 6).
	ICTRiskManagement bool
	// IncidentLogging: ICT-related incidents are recorded and classified (Art. 17).
	IncidentLogging bool
}

var (
	articlePattern = regexp.MustCompile(`^[1-9][0-9]{0,2}(\([1-9][0-9]?\))?(\([a-z]\))?$`)
	annexIIIArea   = regexp.MustCompile(`^[1-8](\([a-e]\))?$`)
)

func parseFrameworks(v any, path string) (Frameworks, error) {
	o, err := claims.AsObject(v, path, "euAiAct", "mica", "gdpr", "dora")
	if err != nil {
		return Frameworks{}, err
	}
	if len(o.Members) == 0 {
		return Frameworks{}, claims.Malformed(path, nil, "name at least one framework")
	}
	var f Frameworks
	if f.EUAIAct, err = optional(o, "euAiAct", parseAIAct); err != nil {
		return Frameworks{}, err
	}
	if f.MiCA, err = optional(o, "mica", parseMiCA); err != nil {
		return Frameworks{}, err
	}
	if f.GDPR, err = optional(o, "gdpr", parseGDPR); err != nil {
		return Frameworks{}, err
	}
	f.DORA, err = optional(o, "dora", parseDORA)
	return f, err
}

func optional[T any](o claims.Object, name string, parse func(any, string) (T, error)) (*T, error) {
	if !o.Has(name) {
		return nil, nil
	}
	v, err := parse(o.Members[name], claims.At(o.Path, name))
	if err != nil {
		return nil, err
	}
	return &v, nil
}

func articles(o claims.Object) ([]string, error) {
	list, err := o.Strings("articles", false, maxList, 16)
	if err != nil {
		return nil, err
	}
	for i, a := range list {
		if !articlePattern.MatchString(a) {
			return nil, claims.Malformed(claims.At(claims.At(o.Path, "articles"), i), nil, `must be an article reference such as "12", "22(3)" or "6(2)(a)"`)
		}
	}
	return list, nil
}
