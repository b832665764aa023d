// Production: VNet integration on, clinical detail (mail stays on the hospital's relay policy), more instances.
using 'main.bicep'

param environmentName = 'prod'
param emailFrom = 'CAR-T lab alerts <cart-alerts@hospital.example>'
param emailOnCall = 'haematology.oncall@hospital.example'
param emailOps = 'cartlab.ops@hospital.example'
param emailDetail = 'Clinical'
param enableVnetIntegration = true
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
