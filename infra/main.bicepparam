// Development environment (azd up reads AZURE_ENV_NAME and AZURE_PRINCIPAL_ID).
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'dev')
param deployerPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param opsPrincipalId = readEnvironmentVariable('AZURE_OPS_PRINCIPAL_ID', '')
param emailFrom = 'CAR-T lab alerts (dev) <cart-alerts-dev@hospital.example>'
param emailOnCall = 'haematology.oncall@hospital.example'
param emailOps = 'cartlab.ops@hospital.example'
param emailDetail = 'Minimal'
param maximumInstanceCount = 10
param instanceMemoryMB = 2048
