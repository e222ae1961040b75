# Production failover root. The active region of each service is data, not code: it lives in
# failover.auto.tfvars.json (loaded automatically by Terraform and OpenTofu), which gitops-failover edits
# in a pull request. This example uses only the built-in `terraform_data` resource, so `init` and `plan`
# need no provider download; in a real repo these resources would be Route 53 records, gateway weights,
# database promotions and so on, fed by the same variables.

terraform {
  required_version = ">= 1.4.0"
}

locals {
  regions = ["us-east-1", "us-west-2", "eu-west-1"]
}

# ---- inputs: one variable per state key in .github/failover.yml ----------------------------------

variable "checkout_active_region" {
  description = "Region that serves checkout.example.com (active-passive)."
  type        = string
  validation {
    condition     = contains(["us-east-1", "us-west-2"], var.checkout_active_region)
    error_message = "checkout_active_region must be us-east-1 or us-west-2."
  }
}

variable "edge_gateway_weights" {
  description = "Share of edge traffic per region, in percent (weighted)."
  type        = map(number)
  validation {
    condition     = alltrue([for region in keys(var.edge_gateway_weights) : contains(local.regions, region)])
    error_message = "edge_gateway_weights may only name us-east-1, us-west-2 and eu-west-1."
  }
  validation {
    condition     = sum(values(var.edge_gateway_weights)) == 100 && anytrue([for w in values(var.edge_gateway_weights) : w > 0])
    error_message = "edge_gateway_weights must sum to 100 with at least one region above 0."
  }
}

variable "payments_db_primary_region" {
  description = "Region whose PostgreSQL instance is the payments primary."
  type        = string
  validation {
    condition     = contains(["us-east-1", "us-west-2"], var.payments_db_primary_region)
    error_message = "payments_db_primary_region must be us-east-1 or us-west-2."
  }
}

variable "payments_api_active_region" {
  description = "Region that serves the payments API."
  type        = string
  validation {
    condition     = contains(["us-east-1", "us-west-2"], var.payments_api_active_region)
    error_message = "payments_api_active_region must be us-east-1 or us-west-2."
  }
}

# ---- the flipped resources -------------------------------------------------------------------------

# Stands in for the checkout CNAME: changing the active region updates it in place.
resource "terraform_data" "checkout_dns" {
  input = {
    record = "checkout.example.com"
    type   = "CNAME"
    value  = "${var.checkout_active_region}.checkout.example.com"
    ttl    = 60
  }
}

# Stands in for weighted gateway routing: one weight per region.
resource "terraform_data" "edge_gateway_routing" {
  input = {
    for region in local.regions : region => lookup(var.edge_gateway_weights, region, 0)
  }
}

# Stands in for promoting the standby: a new primary region replaces the promotion resource.
resource "terraform_data" "payments_db_primary" {
  input            = { primary_region = var.payments_db_primary_region }
  triggers_replace = [var.payments_db_primary_region]
}

# The API follows the database; it is applied after the promotion.
resource "terraform_data" "payments_api_dns" {
  input = {
    record = "payments.example.com"
    type   = "CNAME"
    value  = "${var.payments_api_active_region}.payments.example.com"
    ttl    = 60
  }
  depends_on = [terraform_data.payments_db_primary]
}

# ---- outputs -------------------------------------------------------------------------------------------

output "checkout_active_region" {
  description = "Region serving checkout."
  value       = terraform_data.checkout_dns.output.value
}

output "edge_gateway_weights" {
  description = "Traffic share per region."
  value       = terraform_data.edge_gateway_routing.output
}

output "payments_db_primary_region" {
  description = "Region of the payments primary."
  value       = terraform_data.payments_db_primary.output.primary_region
}

output "payments_api_active_region" {
  description = "Region serving the payments API."
  value       = terraform_data.payments_api_dns.output.value
}

# ---- the sandbox's traffic switch ------------------------------------------------------------------

# Set only by the sandbox (`npm run demo`), where a local HAProxy stands in for checkout's DNS record:
# the active region is one line of HAProxy's map file, and its master process reloads gracefully on
# SIGUSR2. Everywhere else this stays null and the resource below does not exist.
variable "sandbox_entry_point" {
  description = "The sandbox's HAProxy: its map file and the file holding its master's pid (null outside the sandbox)."
  type = object({
    map_file        = string
    reload_pid_file = string
  })
  default = null
}

resource "terraform_data" "sandbox_checkout_backend" {
  count            = var.sandbox_entry_point == null ? 0 : 1
  input            = var.checkout_active_region
  triggers_replace = [var.checkout_active_region]

  provisioner "local-exec" {
    # Written to a temporary file and renamed, so a reload never reads half a line.
    command = "printf 'checkout %s\\n' \"$REGION\" > \"$MAP_FILE.new\" && mv \"$MAP_FILE.new\" \"$MAP_FILE\" && kill -USR2 \"$(cat \"$PID_FILE\")\""
    environment = {
      REGION   = var.checkout_active_region
      MAP_FILE = var.sandbox_entry_point.map_file
      PID_FILE = var.sandbox_entry_point.reload_pid_file
    }
  }
}
