# Lesson 18 (lessons/18-gateway-dark-launch.yaml): its commands, step by step.
kubectl apply --server-side -f https://github.com/envoyproxy/gateway/releases/download/v1.2.6/install.yaml
kubectl rollout status deployment/envoy-gateway -n envoy-gateway-system
kubectl apply -f gateway.yaml
kubectl apply -f demoapp-v10.yaml
kubectl rollout status deployment/demoapp-v10
kubectl apply -f route-stable.yaml
kubectl get gateway,httproute
for i in $(seq 3); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done
kubectl apply -f demoapp-v11.yaml
kubectl rollout status deployment/demoapp-v11
kubectl apply -f route-mirror.yaml
kubectl get httproute demoapp -o jsonpath='{.spec.rules[0].filters[0].type} -> {.spec.rules[0].filters[0].requestMirror.backendRef.name}{"\n"}'
for i in $(seq 20); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done | grep -c v1.1
kubectl apply -f route-shift.yaml
kubectl get httproute demoapp -o jsonpath='{.spec.rules[0].backendRefs[*].weight}{"\n"}'
for i in $(seq 100); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done | grep -c v1.1
