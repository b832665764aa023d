
namespace CarTLabPipeline.Units;

/// <summary>Outcome of a unit conversion: a value in the canonical unit, or why there is none.</summary>
public readonly record struct UnitConversion(bool Succeeded, decimal Value, string Unit, string? Error)
{
    public static UnitConversion Ok(decimal value, string unit) => new(true, value, unit, null);

    public static UnitConversion Fail(string error) => new(false, 0m, string.Empty, error);
}
