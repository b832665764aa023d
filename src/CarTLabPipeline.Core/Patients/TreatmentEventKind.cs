
namespace CarTLabPipeline.Patients;

/// <summary>What happened to the patient (clinical documentation, not a lab result). JSON: kebab-case, e.g. <c>crs</c>.</summary>
public enum TreatmentEventKind
{
    /// <summary><c>bridging-therapy</c>: therapy given while the product is manufactured.</summary>
    BridgingTherapy,
    /// <summary><c>lymphodepletion</c>: e.g. fludarabine/cyclophosphamide, day −4 … −2.</summary>
    Lymphodepletion,
    /// <summary><c>infusion</c>: the CAR-T infusion itself (day 0; must be the enrollment's infusion date).</summary>
    Infusion,
    /// <summary><c>crs</c>: cytokine release syndrome, ASTCT grade 1–4.</summary>
    Crs,
    /// <summary><c>icans</c>: immune effector cell-associated neurotoxicity syndrome, ASTCT grade 1–4.</summary>
    Icans,
    /// <summary><c>immunoglobulin-start</c>: immunoglobulin replacement (IVIG/SCIG) started.</summary>
    ImmunoglobulinStart,
    /// <summary><c>immunoglobulin-stop</c>: immunoglobulin replacement stopped.</summary>
    ImmunoglobulinStop,
    /// <summary><c>prophylaxis-start</c>: anti-infective prophylaxis started (detail: which, e.g. cotrimoxazole).</summary>
    ProphylaxisStart,
    /// <summary><c>prophylaxis-stop</c>: anti-infective prophylaxis stopped (detail: which).</summary>
    ProphylaxisStop,
    /// <summary><c>vaccination</c>.</summary>
    Vaccination,
    /// <summary><c>allogeneic-hsct</c>: allogeneic stem-cell transplant — day 0 of the transplant; CAR-T follow-up rules stop.</summary>
    AllogeneicHsct,
    /// <summary><c>second-infusion</c>: a further CAR-T infusion — day 0 of a new follow-up.</summary>
    SecondInfusion,
}
